package io.keyfleet.bench.sign;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpensslSpeedTest {

    @Test
    void readsTheSummaryLineOfOpenssl3() {
        String output = """
                Forked child 0
                +F2:0:2048:0.000496:0.000038
                Forked child 1
                +F2:1:2048:0.000495:0.000038
                version: 3.0.19
                built on: Tue Oct 21 2025
                                  sign    verify    sign/s verify/s
                rsa 2048 bits 0.000248s 0.000019s   4038.0  52282.9
                """;
        assertThat(OpensslSpeed.parse(output)).containsExactly(4038.0, 52282.9);
        assertThat(OpensslSpeed.parse("rsa 4096 bits 0.001s 0.0001s 800.0 9000.0\n")).isNull();
    }
}
