package dev.mizzen.galley.validation;

/**
 * IP addresses and CIDR blocks as Go's net/netip reads them: IPv4 in dotted decimal without leading zeros,
 * IPv6 in any RFC 4291 text form (with an optional embedded IPv4 tail and zone). Pure string parsing: unlike
 * {@code InetAddress.getByName} it never resolves a name.
 */
final class IpAddresses {
    private IpAddresses() {
    }

    static boolean isIp(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        return text.indexOf(':') >= 0 ? isIpv6(text, true) : isIpv4(text);
    }

    /** {@code addr/bits} (no zone), or a plain address. Returns the problem, or null. */
    static String subnetError(String subnet) {
        int slash = subnet.indexOf('/');
        if (slash >= 0 && subnet.indexOf('/', slash + 1) < 0) {
            return isCidr(subnet) ? null : subnet + " is not a valid CIDR block";
        }
        return isIp(subnet) ? null : subnet + " is not a valid IP";
    }

    static boolean isCidr(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String addr = text.substring(0, slash);
        String bits = text.substring(slash + 1);
        if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(Character::isDigit)
                || (bits.length() > 1 && bits.charAt(0) == '0')) {
            return false;
        }
        int n = Integer.parseInt(bits);
        if (addr.indexOf(':') >= 0) {
            return isIpv6(addr, false) && n <= 128;
        }
        return isIpv4(addr) && n <= 32;
    }

    static boolean isIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (p.length() > 1 && p.charAt(0) == '0') || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6(String text, boolean zoneAllowed) {
        String addr = text;
        int percent = text.indexOf('%');
        if (percent >= 0) {
            if (!zoneAllowed || percent == text.length() - 1) {
                return false;
            }
            addr = text.substring(0, percent);
        }
        int ellipsis = addr.indexOf("::");
        if (ellipsis >= 0 && addr.indexOf("::", ellipsis + 1) >= 0) {
            return false;
        }
        int groups = 0;
        String[] halves = ellipsis >= 0
                ? new String[] {addr.substring(0, ellipsis), addr.substring(ellipsis + 2)}
                : new String[] {addr};
        for (int h = 0; h < halves.length; h++) {
            if (halves[h].isEmpty()) {
                continue;
            }
            String[] parts = halves[h].split(":", -1);
            for (int i = 0; i < parts.length; i++) {
                String p = parts[i];
                boolean last = h == halves.length - 1 && i == parts.length - 1;
                if (last && p.indexOf('.') >= 0) {
                    if (!isIpv4(p)) {
                        return false;
                    }
                    groups += 2;
                } else if (isHexGroup(p)) {
                    groups++;
                } else {
                    return false;
                }
            }
        }
        return ellipsis >= 0 ? groups <= 7 : groups == 8;
    }

    private static boolean isHexGroup(String p) {
        if (p.isEmpty() || p.length() > 4) {
            return false;
        }
        for (int i = 0; i < p.length(); i++) {
            if (Character.digit(p.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
