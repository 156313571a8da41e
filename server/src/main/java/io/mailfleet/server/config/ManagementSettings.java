package io.mailfleet.server.config;

/** Management HTTP API endpoint; an empty token means "use the token file in the data directory". */
public record ManagementSettings(String bind, int port, String token) {

    public ManagementSettings withToken(String newToken) {
        return new ManagementSettings(bind, port, newToken);
    }

    /** The base URL a client on this machine uses (a wildcard bind is reached on loopback). */
    public String baseUrl() {
        String host = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port;
    }
}
