package io.keyfleet.kit.outbound;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The service's {@link OutboundPolicy}, from keyfleet.outbound.*; a setting that cannot be read stops the start. */
@ApplicationScoped
class OutboundPolicyProducer {

    @Produces
    @Singleton
    OutboundPolicy policy(OutboundConfig config) {
        return OutboundPolicy.of(config);
    }
}
