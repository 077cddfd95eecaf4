package io.keyfleet.kit.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scope (one of {@link io.keyfleet.auth.Scopes}) a caller's credential must cover to reach this endpoint. On a
 * method it wins over the class. Every REST endpoint of a Keyfleet service needs one: an endpoint without is refused
 * for everybody, so a forgotten annotation fails closed.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RequiresScope {
    String value();
}
