extension Duration {
    /// The duration in seconds, with its fraction: what metrics, rates and reports divide by.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
