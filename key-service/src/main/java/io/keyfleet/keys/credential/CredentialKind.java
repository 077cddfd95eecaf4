package io.keyfleet.keys.credential;

/** API_KEY: a bearer key; SECRET_PAIR: a public SecretId with a SecretKey that signs each request. */
public enum CredentialKind {
    API_KEY, SECRET_PAIR
}
