package io.mailfleet.server.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** CIDR validation and docker-mailserver's PERMIT_DOCKER mapping to trusted networks. */
final class Networks {

    private Networks() {
    }

    /** The canonical form of a CIDR or single IP literal, or empty when it is not one. */
    static Optional<String> parseCidr(String text) {
        String s = text.trim();
        String addr = s;
        Integer prefix = null;
        int slash = s.indexOf('/');
        if (slash >= 0) {
            addr = s.substring(0, slash);
            String p = s.substring(slash + 1);
            if (!p.matches("[0-9]{1,3}")) {
                return Optional.empty();
            }
            prefix = Integer.parseInt(p);
        }
        boolean v4 = addr.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean v6 = addr.contains(":") && addr.matches("[0-9a-fA-F:.]+");
        if (!v4 && !v6) {
            return Optional.empty();
        }
        if (v4) {
            for (String octet : addr.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return Optional.empty();
                }
            }
        }
        InetAddress ia;
        try {
            ia = InetAddress.getByName(addr); // a literal: no DNS lookup happens
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        int max = ia instanceof Inet4Address ? 32 : 128;
        int bits = prefix == null ? max : prefix;
        if (bits > max) {
            return Optional.empty();
        }
        return Optional.of(ia.getHostAddress() + "/" + bits);
    }

    /** The networks a PERMIT_DOCKER value trusts; empty for {@code none}. */
    static List<String> permitDocker(String mode) {
        return switch (mode) {
            case "none" -> List.of();
            case "network" -> List.of("172.16.0.0/12");
            case "container" -> localIpv4(false);
            case "host" -> localIpv4(true);
            case "connected-networks" -> connectedNetworks();
            default -> throw new IllegalArgumentException(mode);
        };
    }

    private static List<String> localIpv4(boolean slash16) {
        List<String> out = new ArrayList<>();
        for (InterfaceAddress ia : interfaceAddresses()) {
            if (ia.getAddress() instanceof Inet4Address a) {
                out.add(slash16 ? network(a, 16) : a.getHostAddress() + "/32");
            }
        }
        return out;
    }

    private static List<String> connectedNetworks() {
        List<String> out = new ArrayList<>();
        for (InterfaceAddress ia : interfaceAddresses()) {
            if (ia.getAddress() instanceof Inet4Address a) {
                out.add(network(a, ia.getNetworkPrefixLength()));
            }
        }
        return out;
    }

    private static String network(Inet4Address a, int prefix) {
        byte[] b = a.getAddress();
        int ip = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        int n = ip & mask;
        return ((n >>> 24) & 0xff) + "." + ((n >>> 16) & 0xff) + "." + ((n >>> 8) & 0xff) + "." + (n & 0xff)
                + "/" + prefix;
    }

    private static List<InterfaceAddress> interfaceAddresses() {
        List<InterfaceAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (ni.isUp() && !ni.isLoopback()) {
                    out.addAll(ni.getInterfaceAddresses());
                }
            }
        } catch (SocketException e) {
            return List.of();
        }
        return out;
    }
}
