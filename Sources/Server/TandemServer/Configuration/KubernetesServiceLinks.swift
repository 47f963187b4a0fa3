/// The variables Kubernetes sets in every pod for a Service named `tandem` in its namespace
/// (`TANDEM_SERVICE_HOST`, `TANDEM_SERVICE_PORT…`, `TANDEM_PORT=tcp://…`, `TANDEM_PORT_8443_TCP…`).
///
/// `TANDEM_PORT` collides with the `port` setting, so it is read as a setting only when it is not
/// a service link (`tcp://`, `udp://` or `sctp://` address). The others are no settings at all.
struct KubernetesServiceLinks {
    /// The variables recognised as service links.
    let names: Set<String>

    init(_ environment: [String: String]) {
        var names: Set<String> = []
        for (name, value) in environment where name.hasPrefix("TANDEM_") {
            if name == "TANDEM_PORT" {
                if ["tcp://", "udp://", "sctp://"].contains(where: value.hasPrefix) { names.insert(name) }
            } else if name.hasPrefix("TANDEM_SERVICE_HOST") || name.hasPrefix("TANDEM_SERVICE_PORT")
                || name.hasPrefix("TANDEM_PORT_")
            {
                names.insert(name)
            }
        }
        self.names = names
    }

    /// One line for the log when service links are present.
    var warning: String? {
        guard names.contains("TANDEM_PORT") || names.contains("TANDEM_SERVICE_HOST") else { return nil }
        return
            "ignoring Kubernetes service links for a Service named tandem (\(names.sorted().joined(separator: ", "))); "
            + "set the port with --port, relay.conf or --set port=N, or turn the links off with "
            + "`enableServiceLinks: false` in the pod spec"
    }
}
