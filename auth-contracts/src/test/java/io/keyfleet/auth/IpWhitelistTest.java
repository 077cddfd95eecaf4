package io.keyfleet.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpWhitelistTest {

    @Test
    void anEmptyListAllowsAnyAddress() {
        assertThat(IpWhitelist.parse(List.of()).allows("203.0.113.9")).isTrue();
        assertThat(IpWhitelist.parse((String) null).allows(null)).isTrue();
    }

    @Test
    void ipv4AddressesAndCidrBlocks() {
        IpWhitelist list = IpWhitelist.parse(List.of("203.0.113.7", "10.0.0.0/8", "192.168.1.128/25", "0.0.0.0/0"));
        assertThat(list.allows("203.0.113.7")).isTrue();
        IpWhitelist narrow = IpWhitelist.parse(List.of("203.0.113.7", "10.0.0.0/8", "192.168.1.128/25"));
        assertThat(narrow.allows("203.0.113.7")).isTrue();
        assertThat(narrow.allows("203.0.113.8")).isFalse();
        assertThat(narrow.allows("10.255.1.2")).isTrue();
        assertThat(narrow.allows("11.0.0.1")).isFalse();
        assertThat(narrow.allows("192.168.1.200")).isTrue();
        assertThat(narrow.allows("192.168.1.127")).isFalse();
        assertThat(narrow.allows("2001:db8::1")).isFalse();
        assertThat(narrow.allows(null)).isFalse();
        assertThat(narrow.allows("not-an-ip")).isFalse();
    }

    @Test
    void ipv6AddressesAndCidrBlocks() {
        IpWhitelist list = IpWhitelist.parse("2001:db8::/32, ::1, fe80::1:2:3:4/126");
        assertThat(list.allows("2001:db8:ffff::42")).isTrue();
        assertThat(list.allows("2001:db9::1")).isFalse();
        assertThat(list.allows("::1")).isTrue();
        assertThat(list.allows("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(list.allows("[::1]")).isTrue();
        assertThat(list.allows("fe80::1:2:3:7")).isTrue();
        assertThat(list.allows("fe80::1:2:3:8")).isFalse();
        assertThat(list.allows("127.0.0.1")).isFalse();
    }

    @Test
    void ipv4MappedIpv6CountsAsIpv4() {
        assertThat(IpWhitelist.parse("10.0.0.0/8").allows("::ffff:10.1.2.3")).isTrue();
    }

    @Test
    void invalidEntriesAreNamed() {
        for (String bad : List.of("300.1.1.1", "10.0.0.0/33", "2001:db8::/129", "example.com", "10.0.0", "1.2.3.4/x",
                "gggg::1", "1.2.3.4/", "01.2.3.4")) {
            assertThatThrownBy(() -> IpWhitelist.parse(List.of("10.0.0.1", bad)))
                    .isInstanceOf(IpWhitelist.InvalidWhitelistException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> IpWhitelist.parse("10.0.0.1,,10.0.0.2")).hasMessageContaining("empty");
    }

    @Test
    void atMostTenEntries() {
        assertThat(IpWhitelist.parse(Collections.nCopies(10, "10.0.0.1")).texts()).hasSize(10);
        assertThatThrownBy(() -> IpWhitelist.parse(Collections.nCopies(11, "10.0.0.1")))
                .isInstanceOf(IpWhitelist.InvalidWhitelistException.class)
                .hasMessageContaining("11 entries").hasMessageContaining("at most 10");
    }

    @Test
    void storedFormRoundTrips() {
        IpWhitelist list = IpWhitelist.parse(List.of(" 10.0.0.0/8 ", "2001:db8::1"));
        assertThat(list.toStored()).isEqualTo("10.0.0.0/8,2001:db8::1");
        assertThat(IpWhitelist.parse(list.toStored()).texts()).containsExactly("10.0.0.0/8", "2001:db8::1");
    }
}
