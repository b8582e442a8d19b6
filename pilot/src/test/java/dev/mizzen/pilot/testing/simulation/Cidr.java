package dev.mizzen.pilot.testing.simulation;

import com.google.common.net.InetAddresses;
import io.envoyproxy.envoy.config.core.v3.CidrRange;

import java.math.BigInteger;
import java.net.InetAddress;

/** An IP range. Addresses that are not IPs (host names) stand for 255.255.255.255, as in Envoy's matcher. */
record Cidr(byte[] network, int prefixLength) {
    static final String CATCH_ALL = "any";

    static Cidr of(CidrRange range) {
        byte[] address = ip(range.getAddressPrefix());
        int length = range.hasPrefixLen() ? range.getPrefixLen().getValue() : address.length * 8;
        return new Cidr(mask(address, length), length);
    }

    boolean contains(String address) {
        byte[] ip = ip(address);
        return ip.length == network.length && java.util.Arrays.equals(mask(ip, prefixLength), network);
    }

    /** A key equal for equal ranges: "10.0.0.0/8"; the zero-length ranges are all {@link #CATCH_ALL}. */
    String key() {
        if (prefixLength == 0) {
            return CATCH_ALL;
        }
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] ip(String address) {
        return InetAddresses.isInetAddress(address) ? InetAddresses.forString(address).getAddress()
                : new byte[] {(byte) 255, (byte) 255, (byte) 255, (byte) 255};
    }

    static boolean isLoopback(String address) {
        return InetAddresses.isInetAddress(address) && InetAddresses.forString(address).isLoopbackAddress();
    }

    private static byte[] mask(byte[] address, int length) {
        int bits = address.length * 8;
        BigInteger value = new BigInteger(1, address);
        BigInteger keep = length <= 0 ? BigInteger.ZERO
                : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftRight(bits - Math.min(length, bits))
                .shiftLeft(bits - Math.min(length, bits));
        byte[] raw = value.and(keep).toByteArray();
        byte[] out = new byte[address.length];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        return out;
    }
}
