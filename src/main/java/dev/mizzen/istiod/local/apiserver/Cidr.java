package dev.mizzen.istiod.local.apiserver;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 block, {@code 10.96.0.0/12}: the addresses local mode hands out as Service VIPs and pod IPs. Index 0 is
 * the block's first address. Immutable.
 */
public record Cidr(int base, int prefix) {
    public Cidr {
        if (prefix < 8 || prefix > 30) {
            throw new IllegalArgumentException("a block of /8 to /30 is needed, not /" + prefix);
        }
        int mask = mask(prefix);
        if ((base & mask) != base) {
            throw new IllegalArgumentException(format(base) + "/" + prefix + " has host bits set");
        }
    }

    /** Parses {@code a.b.c.d/n}. */
    public static Cidr parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR block (a.b.c.d/n): " + text);
        }
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR block (a.b.c.d/n): " + text, e);
        }
        return new Cidr(parseAddress(text.substring(0, slash)), prefix);
    }

    static int parseAddress(String address) {
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        int value = 0;
        for (String part : parts) {
            int octet;
            try {
                octet = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address: " + address, e);
            }
            if (octet < 0 || octet > 255 || part.isEmpty() || part.length() > 3) {
                throw new IllegalArgumentException("not an IPv4 address: " + address);
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    static String format(int address) {
        return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                + (address & 0xff);
    }

    /** How many addresses the block holds. */
    public int size() {
        return 1 << (32 - prefix);
    }

    /** The address at {@code index} (0 is the block's own address). */
    public String address(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException(index + " is outside " + this);
        }
        return format(base + index);
    }

    /** The index of {@code address} in the block, or -1 when it is not an IPv4 address of the block. */
    public int indexOf(String address) {
        int value;
        try {
            value = parseAddress(address);
        } catch (IllegalArgumentException e) {
            return -1;
        }
        return (value & mask(prefix)) == base ? value - base : -1;
    }

    /** True when every address of the block is a loopback address (127.0.0.0/8). */
    public boolean isLoopback() {
        try {
            InetAddress first = InetAddress.getByName(format(base));
            return first instanceof Inet4Address && first.isLoopbackAddress() && prefix >= 8;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return format(base) + "/" + prefix;
    }
}
