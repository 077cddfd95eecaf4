package io.keyfleet.tokens.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

class AlipayTokenGatewayTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Test
    void lifetimesAreNumbersInV2AndStringsInV3AndUnknownWhenUnusable() {
        assertEquals(31536000L, AlipayTokenGateway.seconds(JSON.numberNode(31536000L)));
        assertEquals(60L, AlipayTokenGateway.seconds(JSON.textNode("60")));
        assertNull(AlipayTokenGateway.seconds(JSON.missingNode()));
        assertNull(AlipayTokenGateway.seconds(JSON.nullNode()));
        assertNull(AlipayTokenGateway.seconds(JSON.numberNode(0)));
        assertNull(AlipayTokenGateway.seconds(JSON.numberNode(-5)));
        assertNull(AlipayTokenGateway.seconds(JSON.textNode("soon")));
        assertNull(AlipayTokenGateway.seconds(JSON.textNode("")));
    }
}
