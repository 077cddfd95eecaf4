package io.keyfleet.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Events never carry private keys, secrets or tokens; a field whose name says otherwise fails the build. */
class NoPrivateMaterialTest {

    /** "token" only at the end of a name: tokenVersion is metadata, accessToken / refreshToken / token are material. */
    static final Pattern FORBIDDEN = Pattern.compile("private|secret|token$|password|accessToken|refreshToken",
            Pattern.CASE_INSENSITIVE);

    @Test
    void noRegisteredPayloadHasAFieldNamedLikePrivateMaterial() {
        List<String> offenders = new ArrayList<>();
        for (EventType type : EventTypes.all()) {
            collectOffenders(type.payloadClass(), type.name(), offenders);
        }
        assertEquals(List.of(), offenders, "events must not carry private keys, secrets or tokens");
    }

    @ParameterizedTest
    @ValueSource(strings = {"privateKey", "privateKeyPem", "secretKey", "clientSecret", "apiSecret", "SecretId",
            "accessToken", "refreshToken", "appAuthToken", "token", "password", "passwordHash", "accessTokenHash"})
    void theRuleCatchesPrivateMaterial(String name) {
        assertTrue(FORBIDDEN.matcher(name).find(), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tokenVersion", "publicKey", "fingerprint", "keyId", "grantId", "credentialId", "accessExpiresAt",
            "refreshExpiresAt", "previousValidUntil", "reason", "scopes", "canSign", "merchantId"})
    void theRuleLetsMetadataThrough(String name) {
        assertFalse(FORBIDDEN.matcher(name).find(), name);
    }

    @Test
    void theCheckFindsOffendersInRecordsAndNestedRecords() {
        record Inner(String clientSecret) {
        }
        record Leaky(String grantId, int tokenVersion, String refreshToken, Inner inner, List<Inner> more) implements DomainEvent {
            @Override
            public String aggregateId() {
                return grantId;
            }
        }
        List<String> offenders = new ArrayList<>();
        collectOffenders(Leaky.class, "Leaky", offenders);
        assertEquals(List.of("Leaky.refreshToken", "Leaky.inner.clientSecret", "Leaky.more.clientSecret"), offenders);
    }

    /** Component names of a record, descending into record-typed components and lists of records. */
    static void collectOffenders(Class<?> record, String path, List<String> offenders) {
        for (RecordComponent component : record.getRecordComponents()) {
            String where = path + "." + component.getName();
            if (FORBIDDEN.matcher(component.getName()).find()) {
                offenders.add(where);
            }
            for (Class<?> nested : recordTypes(component.getGenericType())) {
                collectOffenders(nested, where, offenders);
            }
        }
    }

    private static List<Class<?>> recordTypes(Type type) {
        List<Class<?>> found = new ArrayList<>();
        if (type instanceof Class<?> c && c.isRecord()) {
            found.add(c);
        } else if (type instanceof ParameterizedType p) {
            for (Type argument : p.getActualTypeArguments()) {
                found.addAll(recordTypes(argument));
            }
        }
        return found;
    }
}
