package io.keyfleet.tokens.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.keyfleet.tokens.upstream.UpstreamFailure.Kind;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlipayAnswersTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Test
    void lifetimesAreNumbersInV2AndStringsInV3AndUnknownWhenUnusable() {
        assertEquals(31536000L, AlipayAnswers.seconds(JSON.numberNode(31536000L)));
        assertEquals(60L, AlipayAnswers.seconds(JSON.textNode("60")));
        assertNull(AlipayAnswers.seconds(JSON.missingNode()));
        assertNull(AlipayAnswers.seconds(JSON.nullNode()));
        assertNull(AlipayAnswers.seconds(JSON.numberNode(0)));
        assertNull(AlipayAnswers.seconds(JSON.numberNode(-5)));
        assertNull(AlipayAnswers.seconds(JSON.textNode("soon")));
        assertNull(AlipayAnswers.seconds(JSON.textNode("")));
    }

    @Test
    void refusalsAreSortedByTheProvidersCodeAndAnythingUnknownIsRetried() {
        Set<String> invalid = Set.of("AUTH_CODE_NOT_VALID");
        Set<String> configuration = Set.of("invalid-signature");
        assertEquals(Kind.INVALID_GRANT, AlipayAnswers.refused("AUTH_CODE_NOT_VALID", "d", invalid, configuration).kind());
        assertEquals(Kind.CONFIGURATION, AlipayAnswers.refused("invalid-signature", "d", invalid, configuration).kind());
        UpstreamFailure unknown = AlipayAnswers.refused("SOMETHING_NEW", "detail", invalid, configuration);
        assertEquals(Kind.RETRYABLE, unknown.kind());
        assertEquals("SOMETHING_NEW", unknown.code());
        assertEquals("detail", unknown.getMessage());
    }
}
