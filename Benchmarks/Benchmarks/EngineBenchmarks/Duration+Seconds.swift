extension Duration {
    /// The duration in seconds (SeqHuntIO's own is `package`: it does not reach this package).
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
