package io.mailfleet.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Members, roles and shard placement as pekko-management reports them: {@code /cluster/members} of
 * one node, and {@code /cluster/shards/{type}} of every member (each node reports its own region).
 */
public final class ClusterStatus {

    /** Entity types whose placement is shown. */
    public static final List<String> SHARD_TYPES = List.of("QueuePartition", "Mailbox", "Directory", "BanList",
            "Sessions");

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /**
     * Prints the cluster as seen from {@code management} ("host:port" of a pekko-management endpoint).
     * {@code managementOf} maps a member's cluster address ("host:port") to its management
     * "host:port" when known (the playground knows; otherwise the member's host with the same port).
     */
    public void print(String management, Map<String, String> managementOf, PrintStream out) throws IOException {
        JsonNode members = get(management, "/cluster/members");
        out.println("members (as seen by " + management + "):");
        out.printf("  %-36s %-10s %s%n", "node", "status", "roles");
        List<String> up = new ArrayList<>();
        for (JsonNode m : members.path("members")) {
            String node = m.path("node").asText();
            List<String> roles = new ArrayList<>();
            m.path("roles").forEach(r -> roles.add(r.asText()));
            out.printf("  %-36s %-10s %s%n", node, m.path("status").asText(), String.join(",", roles));
            if ("Up".equals(m.path("status").asText())) {
                up.add(node);
            }
        }
        List<String> unreachable = new ArrayList<>();
        members.path("unreachable").forEach(u -> unreachable.add(u.path("node").asText()));
        out.println("  leader: " + members.path("leader").asText("-") + ", oldest: " + members.path("oldest").asText("-")
                + ", unreachable: " + (unreachable.isEmpty() ? "none" : String.join(", ", unreachable)));
        out.println("shard placement (shards / entities per node):");
        out.printf("  %-36s", "node");
        for (String type : SHARD_TYPES) {
            out.printf(" %-18s", type);
        }
        out.println();
        String mgmtPort = management.substring(management.lastIndexOf(':') + 1);
        for (String node : up) {
            String hostPort = node.substring(node.indexOf('@') + 1);
            String target = managementOf.getOrDefault(hostPort, hostPort.substring(0, hostPort.lastIndexOf(':')) + ":" + mgmtPort);
            out.printf("  %-36s", node);
            for (String type : SHARD_TYPES) {
                String cell;
                try {
                    JsonNode shards = get(target, "/cluster/shards/" + type);
                    int count = 0;
                    long entities = 0;
                    for (JsonNode region : shards.path("regions")) {
                        count++;
                        entities += region.path("numEntities").asLong();
                    }
                    cell = count + " / " + entities;
                } catch (IOException e) {
                    cell = "?";
                }
                out.printf(" %-18s", cell);
            }
            out.println();
        }
    }

    /** Shard ids per entity type hosted by the node whose management endpoint is given. */
    public Map<String, Integer> shardCounts(String management) throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        for (String type : SHARD_TYPES) {
            counts.put(type, get(management, "/cluster/shards/" + type).path("regions").size());
        }
        return counts;
    }

    JsonNode get(String hostPort, String path) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + hostPort + path)).timeout(Duration.ofSeconds(5)).GET().build();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("GET http://" + hostPort + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot reach pekko-management at " + hostPort + " (is the node running?)", e);
        }
    }
}
