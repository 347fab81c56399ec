import Foundation

/// The token of a query, shared by its slices: fetched once, fetched again shortly before it
/// expires, or when the service refuses it part way (once per token, by the first slice to
/// see it refused).
actor TokenSource {
    let credentials: AzureCredentials
    let resource: String
    let client: HTTPClient
    private var token: AccessToken?

    init(credentials: AzureCredentials, resource: String, client: HTTPClient) {
        self.credentials = credentials
        self.resource = resource
        self.client = client
    }

    /// The token to send now: renewed when it expires within five minutes.
    func current() async throws(QueryError) -> AccessToken {
        if let token, !token.expiresSoon { return token }
        let fresh = try await credentials.token(for: resource, client: client)
        token = fresh
        return fresh
    }

    /// After `refused` was refused: whether a new token is there to try (`false` when the
    /// credential cannot give another, as `AZURE_ACCESS_TOKEN` cannot).
    func renew(replacing refused: AccessToken) async throws(QueryError) -> Bool {
        guard refused.renewable else { return false }
        if let token, token.value != refused.value { return true }  // another slice renewed it already
        let fresh = try await credentials.token(for: resource, client: client)
        guard fresh.value != refused.value else { return false }
        token = fresh
        return true
    }
}
