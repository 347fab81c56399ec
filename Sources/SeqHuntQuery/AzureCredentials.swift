import Foundation
import SeqHunt
import SeqHuntIO
import SeqHuntSupport

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A bearer token for one resource. Its text is only ever put in an `Authorization` header:
/// it is not in ``description``, in errors or in statistics.
public struct AccessToken: Sendable, CustomStringConvertible, CustomReflectable {
    let value: String
    /// Which credential gave it (`AZURE_ACCESS_TOKEN`, `the service principal`, `managed identity`, `the Azure CLI`).
    public let source: String
    /// When it expires, when the credential said (`expires_in`, `expires_on`).
    public let expires: Date?
    /// Whether asking the credential again can give a new one (not for `AZURE_ACCESS_TOKEN`).
    public var renewable: Bool { source != "AZURE_ACCESS_TOKEN" }
    /// Whether to fetch it again before sending it: renewable, and expiring within five minutes.
    var expiresSoon: Bool { renewable && (expires.map { $0.timeIntervalSinceNow < 300 } ?? false) }

    init(value: String, source: String, expires: Date? = nil) {
        self.value = value
        self.source = source
        self.expires = expires
    }

    public var description: String { "a token from \(source)" }
    /// `dump` and debuggers see the source, never the token.
    public var customMirror: Mirror { Mirror(self, children: ["source": source, "expires": expires as Any]) }
}

/// Gets a token for the query API the way the Azure SDKs' default credential does, trying in
/// order:
///
/// 1. `AZURE_ACCESS_TOKEN`: a token got elsewhere, used as it is;
/// 2. a service principal: `AZURE_TENANT_ID`, `AZURE_CLIENT_ID` and `AZURE_CLIENT_SECRET`, through
///    the client-credentials flow at `{AZURE_AUTHORITY_HOST}/{tenant}/oauth2/v2.0/token`
///    (default authority `https://login.microsoftonline.com`; `https://login.microsoftonline.us`
///    for Azure US Government, `https://login.chinacloudapi.cn` for Azure China);
/// 3. managed identity: App Service's `IDENTITY_ENDPOINT` with `IDENTITY_HEADER`, else the
///    instance metadata endpoint (`http://169.254.169.254`, or `AZURE_POD_IDENTITY_AUTHORITY_HOST`),
///    with `AZURE_CLIENT_ID` naming a user-assigned identity;
/// 4. the Azure CLI: `az account get-access-token --resource …`.
///
/// A configured service principal that is refused stops the search (as the SDKs' environment
/// credential does): a wrong secret is reported, not hidden behind a later credential.
public struct AzureCredentials: Sendable {
    /// The environment the variables are read from.
    public var environment: [String: String]
    /// How long to wait for the instance metadata endpoint, which does not answer off Azure.
    public var metadataTimeout: Double = 2

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// A token whose audience is `resource` (`https://api.loganalytics.io`, a cluster's URL).
    public func token(for resource: String) async throws(QueryError) -> AccessToken {
        let client = HTTPClient(bodyLimit: 1 << 20)
        defer { client.close() }
        return try await token(for: resource, client: client)
    }

    func token(for resource: String, client: HTTPClient) async throws(QueryError) -> AccessToken {
        if let token = environment["AZURE_ACCESS_TOKEN"], !token.isEmpty {
            return AccessToken(
                value: token.trimmingCharacters(in: .whitespacesAndNewlines), source: "AZURE_ACCESS_TOKEN")
        }
        var tried: [String] = []
        if let tenant = environment["AZURE_TENANT_ID"], let clientID = environment["AZURE_CLIENT_ID"],
            let secret = environment["AZURE_CLIENT_SECRET"], !tenant.isEmpty, !clientID.isEmpty, !secret.isEmpty
        {
            return try await clientSecret(
                tenant: tenant, clientID: clientID, secret: secret, resource: resource, client: client)
        }
        tried.append("AZURE_ACCESS_TOKEN is not set")
        tried.append("no service principal (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)")
        switch try await managedIdentity(resource: resource, client: client) {
        case .success(let token): return token
        case .failure(let why): tried.append("managed identity: \(why)")
        }
        switch try azureCLI(resource: resource) {
        case .success(let token): return token
        case .failure(let why): tried.append("Azure CLI: \(why)")
        }
        throw .noCredential(tried: tried)
    }

    private enum Outcome {
        case success(AccessToken)
        case failure(String)
    }

    /// The client-credentials flow of the Microsoft identity platform.
    private func clientSecret(
        tenant: String, clientID: String, secret: String, resource: String,
        client: HTTPClient
    ) async throws(QueryError) -> AccessToken {
        let source = "the service principal (AZURE_CLIENT_ID)"
        let authority =
            (environment["AZURE_AUTHORITY_HOST"].flatMap { $0.isEmpty ? nil : $0 }
                ?? "https://login.microsoftonline.com")
        guard let base = URL(string: authority), let host = base.host, !host.isEmpty,
            tenant.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." })
        else {
            throw .invalid(
                "AZURE_AUTHORITY_HOST must be a URL such as https://login.microsoftonline.com, and AZURE_TENANT_ID a tenant ID or domain"
            )
        }
        guard
            base.scheme?.lowercased() == "https"
                || (base.scheme?.lowercased() == "http" && QueryService.isLoopback(host))
        else {
            throw .invalid(
                "AZURE_AUTHORITY_HOST must use https (http only to 127.0.0.1 or localhost): the client secret must not cross the network in clear"
            )
        }
        let url = base.appendingPathComponent(tenant).appendingPathComponent("oauth2/v2.0/token")
        let form = [
            ("grant_type", "client_credentials"), ("client_id", clientID), ("client_secret", secret),
            ("scope", Self.scope(of: resource))
        ]
        .map { "\($0.0)=\(Self.formEncoded($0.1))" }.joined(separator: "&")
        let request = HTTPRequest(
            method: "POST", url: url,
            headers: [
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json"
            ],
            body: Array(form.utf8), timeout: 60)
        let response: HTTPResponse
        do { response = try await client.send(request) } catch {
            throw .transport(
                service: "the token endpoint \(Self.origin(of: url))",
                reason: (error as? URLError)?.reason ?? "the request failed")
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        guard response.status == 200, let token = object?["access_token"] as? String, !token.isEmpty else {
            throw .tokenRefused(source: source, reason: Self.identityError(status: response.status, object: object))
        }
        return AccessToken(value: token, source: "the service principal", expires: Self.expiry(object))
    }

    /// Managed identity: App Service's endpoint when it is set, else the instance metadata endpoint.
    private func managedIdentity(resource: String, client: HTTPClient) async throws(QueryError) -> Outcome {
        var request: HTTPRequest
        var items = [URLQueryItem(name: "resource", value: resource)]
        if let clientID = environment["AZURE_CLIENT_ID"], !clientID.isEmpty {
            items.append(URLQueryItem(name: "client_id", value: clientID))
        }
        if let endpoint = environment["IDENTITY_ENDPOINT"], let header = environment["IDENTITY_HEADER"],
            var parts = URLComponents(string: endpoint), parts.host != nil
        {
            parts.queryItems = [URLQueryItem(name: "api-version", value: "2019-08-01")] + items
            guard let url = parts.url else { return .failure("IDENTITY_ENDPOINT is not a URL") }
            request = HTTPRequest(url: url, headers: ["X-IDENTITY-HEADER": header], timeout: 30)
        } else {
            let host =
                environment["AZURE_POD_IDENTITY_AUTHORITY_HOST"].flatMap { $0.isEmpty ? nil : $0 }
                ?? "http://169.254.169.254"
            guard var parts = URLComponents(string: host), parts.host != nil else {
                return .failure("AZURE_POD_IDENTITY_AUTHORITY_HOST is not a URL")
            }
            parts.path = "/metadata/identity/oauth2/token"
            parts.queryItems = [URLQueryItem(name: "api-version", value: "2018-02-01")] + items
            guard let url = parts.url else { return .failure("the metadata endpoint is not a URL") }
            request = HTTPRequest(url: url, headers: ["Metadata": "true"], timeout: metadataTimeout)
        }
        let appService = environment["IDENTITY_ENDPOINT"] != nil && environment["IDENTITY_HEADER"] != nil
        let response: HTTPResponse
        do { response = try await client.send(request) } catch {
            return .failure(
                appService
                    ? "IDENTITY_ENDPOINT (\(Self.origin(of: request.url))) did not answer"
                    : "no instance metadata endpoint answered (not on Azure)")
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        // The metadata endpoint answers 400 on a machine with no identity assigned, and a proxy
        // in its place answers what it likes: go on to the next credential, as the SDKs do.
        if response.status != 200, !appService {
            return .failure(
                "the instance metadata endpoint gave no token (\(Self.identityError(status: response.status, object: object)))"
            )
        }
        guard response.status == 200, let token = object?["access_token"] as? String, !token.isEmpty else {
            // An identity endpoint that answers and refuses is reported, not skipped.
            throw .tokenRefused(
                source: "managed identity", reason: Self.identityError(status: response.status, object: object))
        }
        return .success(AccessToken(value: token, source: "managed identity", expires: Self.expiry(object)))
    }

    /// `az account get-access-token`, when `az` is on the `PATH`.
    private func azureCLI(resource: String) throws(QueryError) -> Outcome {
        let path = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/az" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else { return .failure("az is not installed") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["account", "get-access-token", "--resource", resource, "--output", "json"]
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return .failure("az could not be started") }
        // Read both pipes before waiting, so a full pipe cannot stall az.
        let errorHandle = errors.fileHandleForReading
        let errorText = BackgroundWork { errorHandle.readDataToEndOfFile() }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let said = (try? errorText.wait()) ?? Data()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let token = object["accessToken"] as? String, !token.isEmpty
        else {
            let first =
                String(decoding: said, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init)
                ?? "no token"
            throw .tokenRefused(source: "the Azure CLI (az account get-access-token)", reason: first)
        }
        return .success(AccessToken(value: token, source: "the Azure CLI", expires: Self.expiry(object)))
    }

    /// When a token answer says it expires: `expires_on` (epoch seconds, a number or a string),
    /// else `expires_in` (seconds from now, a number or a string).
    static func expiry(_ object: [String: Any]?) -> Date? {
        func seconds(_ value: Any?) -> Double? {
            if let number = value as? NSNumber { return number.doubleValue }
            return (value as? String).flatMap(Double.init)
        }
        if let on = seconds(object?["expires_on"]), on > 1e9 { return Date(timeIntervalSince1970: on) }
        if let within = seconds(object?["expires_in"]), within > 0 { return Date().addingTimeInterval(within) }
        return nil
    }

    /// `{resource}/.default`, the v2 endpoint's scope for a v1 resource.
    static func scope(of resource: String) -> String {
        (resource.hasSuffix("/") ? String(resource.dropLast()) : resource) + "/.default"
    }

    /// `application/x-www-form-urlencoded`: everything but unreserved characters percent-encoded.
    static func formEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// `scheme://host[:port]`.
    static func origin(of url: URL) -> String {
        "\(url.scheme ?? "https")://\(url.host ?? "")" + (url.port.map { ":\($0)" } ?? "")
    }

    /// The identity platform's `error` and the first line of `error_description` (which goes on
    /// with trace and correlation IDs), or the managed identity endpoint's message.
    static func identityError(status: Int, object: [String: Any]?) -> String {
        var parts = ["HTTP \(status)"]
        if let error = object?["error"] as? String { parts.append(error) }
        if let error = object?["error"] as? [String: Any], let message = error["message"] as? String {
            parts.append(message)
        }
        if let text = (object?["error_description"] ?? object?["message"]) as? String,
            let first = text.split(whereSeparator: \.isNewline).first
        {
            parts.append(String(first))
        }
        return oneLine(parts.joined(separator: ": "))
    }
}
