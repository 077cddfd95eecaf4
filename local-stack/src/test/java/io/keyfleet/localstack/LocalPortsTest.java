package io.keyfleet.localstack;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class LocalPortsTest {

    @Test
    void aChosenPortIsFreeAndOutsideTheRangeOutgoingConnectionsAreGiven() throws IOException {
        int ephemeralStart = LocalPorts.ephemeralRangeStart();
        for (int i = 0; i < 50; i++) {
            int port = LocalPorts.findFree();
            assertTrue(port >= LocalPorts.FIRST_CHOSEN_PORT && port < ephemeralStart,
                    port + " is outside [" + LocalPorts.FIRST_CHOSEN_PORT + ", " + ephemeralStart + ")");
            try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertTrue(server.isBound());
            }
        }
    }

    @Test
    void aPortAServerHoldsIsNeverChosen() throws IOException {
        try (ServerSocket held = new ServerSocket(LocalPorts.findFree(), 1, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 200; i++) {
                assertTrue(LocalPorts.findFree() != held.getLocalPort());
            }
        }
    }
}
