package io.keyfleet.keys.keypair;

import io.keyfleet.keys.api.Environment;

/** What a key belongs to: one app at one provider in one environment. */
public record KeyScope(String provider, String appId, Environment environment) {
}
