package dev.mizzen.istiod.local.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IpAllocatorTest {
    private final IpAllocator allocator = new IpAllocator(Cidr.parse("10.96.0.0/30"));

    @Test
    void handsOutTheUsableAddressesLowestFirstThenRunsOut() {
        assertThat(allocator.allocate()).contains("10.96.0.1");
        assertThat(allocator.allocate()).contains("10.96.0.2");
        assertThat(allocator.allocate()).isEmpty();
    }

    @Test
    void aServiceAskingForTheNetworkOrBroadcastAddressIsToldItIsReserved() {
        assertThatThrownBy(() -> allocator.reserve("10.96.0.0")).hasMessageContaining("10.96.0.0 is reserved");
        assertThatThrownBy(() -> allocator.reserve("10.96.0.3")).hasMessageContaining("10.96.0.3 is reserved");
        assertThatThrownBy(() -> allocator.reserve("10.97.0.1")).hasMessageContaining("is not in the range");
    }

    @Test
    void aReleasedAddressIsHandedOutAgain() {
        allocator.reserve("10.96.0.2");
        assertThatThrownBy(() -> allocator.reserve("10.96.0.2")).hasMessageContaining("already allocated");
        allocator.release("10.96.0.2");
        allocator.reserve("10.96.0.2");
        assertThat(allocator.isAllocated("10.96.0.2")).isTrue();
    }
}
