package io.keyfleet.kit.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboundPolicyTest {

    /** Names from a table (no DNS in tests); numeric hosts as the JDK reads them, which never asks DNS. */
    static final Map<String, List<String>> NAMES = Map.of(
            "api.example.com", List.of("93.184.215.14"),
            "v6.example.com", List.of("2606:2800:21f:cb07:6820:80da:af6b:8b2c"),
            "internal.example.test", List.of("127.0.0.1"),
            "metadata.example.test", List.of("169.254.169.254"),
            "mixed.example.com", List.of("93.184.215.14", "10.1.2.3"),
            "localhost", List.of("127.0.0.1", "::1"),
            "sandbox.internal", List.of("10.0.0.8"));

    static OutboundPolicy.Resolver table(AtomicInteger calls) {
        return host -> {
            calls.incrementAndGet();
            List<String> addresses = NAMES.get(host);
            if (addresses == null && host.matches("[0-9a-f:.]+")) {
                return InetAddress.getAllByName(host);
            }
            if (addresses == null) {
                throw new UnknownHostException(host);
            }
            List<InetAddress> resolved = new ArrayList<>();
            for (String address : addresses) {
                resolved.add(InetAddress.getByName(address));
            }
            return resolved.toArray(InetAddress[]::new);
        };
    }

    static OutboundPolicy policy(boolean allowHttp, List<String> allow, List<String> denied) {
        return new OutboundPolicy(allowHttp, allow, denied, table(new AtomicInteger()));
    }

    static final OutboundPolicy PRODUCTION = policy(false, List.of(), List.of());
    static final OutboundPolicy DEV = policy(true, List.of(), List.of());

    @Test
    void aPublicHttpsAddressIsCalledAtTheAddressItResolvedToOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        OutboundPolicy policy = new OutboundPolicy(false, List.of(), List.of(), table(calls));
        OutboundPolicy.Target target = policy.check(URI.create("https://API.Example.com./pool-api?x=1"), "apiBaseUrl");
        assertThat(calls).hasValue(1);
        assertThat(target.https()).isTrue();
        assertThat(target.host()).isEqualTo("api.example.com");
        assertThat(target.port()).isEqualTo(443);
        assertThat(target.address().getHostAddress()).isEqualTo("93.184.215.14");
        assertThat(target.pathAndQuery()).isEqualTo("/pool-api?x=1");
        assertThat(PRODUCTION.check(URI.create("https://v6.example.com:8443"), "f").port()).isEqualTo(8443);
        assertThat(PRODUCTION.check(URI.create("https://v6.example.com"), "f").pathAndQuery()).isEqualTo("/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.255.3.4", "0.0.0.0", "0.1.2.3", "10.1.2.3", "172.16.0.1", "172.31.255.255",
            "192.168.1.1", "100.64.0.1", "100.127.255.254", "169.254.169.254", "169.254.0.1", "192.0.0.192", "224.0.0.1",
            "239.255.255.250", "240.0.0.1", "255.255.255.255",
            "[::1]", "[::]", "[fe80::1]", "[febf::1]", "[fec0::1]", "[fc00::1]", "[fd00:ec2::254]", "[ff02::1]",
            "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::ffff:169.254.169.254]", "[::ffff:10.0.0.1]", "[::127.0.0.1]",
            "[64:ff9b::a9fe:a9fe]", "[64:ff9b::a00:1]", "[2002:7f00:1::1]", "[2002:a9fe:a9fe::]"})
    void internalAddressesAreRefusedWithACode(String host) {
        assertThatThrownBy(() -> DEV.check(URI.create("http://" + host + ":8081/x"), "apiBaseUrl"))
                .isInstanceOfSatisfying(OutboundRefusedException.class, e -> {
                    assertThat(e.code()).isEqualTo("OUTBOUND_ADDRESS_REFUSED");
                    assertThat(e.problem().status()).isEqualTo(400);
                    assertThat(e.detail()).startsWith("apiBaseUrl: ").contains("address").endsWith("only public addresses are called.");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"11.0.0.1", "172.15.255.255", "172.32.0.1", "192.167.255.255", "192.169.0.1", "100.63.255.255",
            "100.128.0.1", "169.253.255.255", "169.255.0.1", "223.255.255.255", "8.8.8.8", "[2001:4860:4860::8888]",
            "[::ffff:8.8.8.8]", "[64:ff9b::808:808]", "[2002:808:808::1]", "[fbff::1]", "[fe00::1]"})
    void publicAddressesNextToTheRefusedRangesPass(String host) throws Exception {
        assertThat(DEV.check(URI.create("http://" + host + "/"), "f").port()).isEqualTo(80);
    }

    @Test
    void theRefusalSaysWhatKindOfAddressWithoutNamingTheResolvedOne() {
        assertThatThrownBy(() -> DEV.check(URI.create("http://internal.example.test:8081"), "apiBaseUrl"))
                .isInstanceOfSatisfying(OutboundRefusedException.class, e -> assertThat(e.detail())
                        .isEqualTo("apiBaseUrl: 'internal.example.test' resolves to a loopback address; only public addresses are called.")
                        .doesNotContain("127.0.0.1"));
        assertThatThrownBy(() -> DEV.check(URI.create("http://metadata.example.test/latest/meta-data"), "callbackUrl"))
                .hasMessageContaining("callbackUrl: 'metadata.example.test' resolves to a link-local address");
        assertThatThrownBy(() -> DEV.check(URI.create("http://[::127.0.0.1]/"), "f"))
                .hasMessageContaining("::127.0.0.1 is a loopback address (inside an IPv6 address)");
        assertThatThrownBy(() -> DEV.check(URI.create("http://169.254.169.254/"), "f"))
                .hasMessageContaining("169.254.169.254 is a link-local address");
    }

    @Test
    void numericHostFormsTheJdkWouldReadAsLoopbackAreRefused() {
        // java.net.URI gives no host for these (the last label starts with a digit); were it read, 127.0.0.1 is refused
        for (String url : List.of("http://2130706433:8081/", "http://127.1:8081/", "http://0x7f.1:8081/")) {
            assertThatThrownBy(() -> DEV.check(URI.create(url), "f")).as(url).isInstanceOf(OutboundRefusedException.class);
        }
    }

    @Test
    void everyAddressANameResolvesToIsChecked() {
        assertThatThrownBy(() -> PRODUCTION.check(URI.create("https://mixed.example.com"), "f"))
                .hasMessageContaining("'mixed.example.com' resolves to a private address");
    }

    @Test
    void httpsOnlyInProductionHttpInDevAndTestNoOtherScheme() throws Exception {
        assertThatThrownBy(() -> PRODUCTION.check(URI.create("http://api.example.com"), "callbackUrl"))
                .isInstanceOfSatisfying(OutboundRefusedException.class, e -> {
                    assertThat(e.code()).isEqualTo("OUTBOUND_SCHEME_REFUSED");
                    assertThat(e.detail()).isEqualTo("callbackUrl: plain http is refused; give an https URL.");
                });
        assertThat(PRODUCTION.check(URI.create("HTTPS://api.example.com"), "f").https()).isTrue();
        assertThat(DEV.check(URI.create("http://api.example.com"), "f").https()).isFalse();
        for (String url : List.of("ftp://api.example.com/", "file:///etc/passwd", "gopher://api.example.com:70/", "//api.example.com/x")) {
            assertThatThrownBy(() -> DEV.check(URI.create(url), "f")).as(url)
                    .isInstanceOfSatisfying(OutboundRefusedException.class, e -> assertThat(e.code()).isEqualTo("OUTBOUND_SCHEME_REFUSED"));
        }
    }

    @Test
    void aUrlWithoutAHostOrAnUnknownHostIsNotCalled() {
        assertThatThrownBy(() -> PRODUCTION.check(URI.create("https:///pool-api"), "f"))
                .isInstanceOfSatisfying(OutboundRefusedException.class, e -> assertThat(e.code()).isEqualTo("OUTBOUND_ADDRESS_REFUSED"));
        assertThatThrownBy(() -> PRODUCTION.check(URI.create("https://nowhere.example.com"), "f")).isInstanceOf(UnknownHostException.class);
    }

    @Test
    void theAllowListLetsExactlyTheNamedEndpointThrough() throws Exception {
        OutboundPolicy policy = policy(true, List.of("127.0.0.1:8090", " LOCALHOST:8091 ", "[::1]:8092", "sandbox.internal:443"), List.of());
        assertThat(policy.check(URI.create("http://127.0.0.1:8090/pool-api"), "f").address().getHostAddress()).isEqualTo("127.0.0.1");
        // an address entry: any name resolving only to that address, at that port
        assertThat(policy.check(URI.create("http://internal.example.test:8090"), "f").port()).isEqualTo(8090);
        assertThat(policy.check(URI.create("http://localhost:8091"), "f").host()).isEqualTo("localhost");
        assertThat(policy.check(URI.create("http://[::1]:8092"), "f").port()).isEqualTo(8092);
        assertThat(policy.check(URI.create("https://sandbox.internal/pool-api"), "f").port()).isEqualTo(443);
        for (String url : List.of("http://127.0.0.1:8081", "http://127.0.0.2:8090", "http://localhost:8090", "http://127.0.0.1:8091",
                "http://[::1]:8090", "http://sandbox.internal:8443", "http://10.0.0.8:443", "http://[::ffff:127.0.0.1]:8092")) {
            assertThatThrownBy(() -> policy.check(URI.create(url), "f")).as(url).isInstanceOf(OutboundRefusedException.class);
        }
        // the allow-list allows an address, not plain http
        OutboundPolicy production = policy(false, List.of("127.0.0.1:8090"), List.of());
        assertThatThrownBy(() -> production.check(URI.create("http://127.0.0.1:8090"), "f"))
                .hasMessageContaining("plain http is refused");
        assertThat(production.check(URI.create("https://127.0.0.1:8090"), "f").https()).isTrue();
    }

    @Test
    void theOperatorsClusterRangesAreRefusedToo() throws Exception {
        OutboundPolicy policy = policy(false, List.of("93.184.215.14:8443"), List.of("93.184.215.0/24", "2606:2800::/32"));
        assertThatThrownBy(() -> policy.check(URI.create("https://api.example.com"), "f"))
                .hasMessageContaining("resolves to an address of this deployment's network");
        assertThatThrownBy(() -> policy.check(URI.create("https://v6.example.com"), "f")).isInstanceOf(OutboundRefusedException.class);
        assertThatThrownBy(() -> policy.check(URI.create("https://[::ffff:93.184.215.20]"), "f")).isInstanceOf(OutboundRefusedException.class);
        assertThat(policy.check(URI.create("https://api.example.com:8443"), "f").port()).isEqualTo(8443);
        assertThat(policy.check(URI.create("https://8.8.8.8"), "f").https()).isTrue();
    }

    @Test
    void settingsThatCannotBeReadStopTheStartNamingTheEntry() {
        for (String entry : List.of("localhost", "::1:8090", "host:0", "host:70000", "exa mple.com:80", ":80", "[::1]8090", "host:8o")) {
            assertThatThrownBy(() -> policy(false, List.of(entry), List.of())).as(entry)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("keyfleet.outbound.allow: '" + entry + "'");
        }
        for (String range : List.of("10.0.0.0/33", "cluster", "10.0.0.0/8/8")) {
            assertThatThrownBy(() -> policy(false, List.of(), List.of(range))).as(range)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("keyfleet.outbound.denied-ranges: '" + range + "'");
        }
    }
}
