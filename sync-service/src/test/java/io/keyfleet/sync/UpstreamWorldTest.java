package io.keyfleet.sync;

import jakarta.inject.Inject;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;

/** What the sync ITs over UpstreamWorld share: the world, emptied after each test, and the service's database. */
abstract class UpstreamWorldTest {

    @Inject
    DataSource dataSource;

    final UpstreamWorld world = UpstreamWorldResource.world();

    @AfterEach
    void resetTheWorld() {
        world.reset();
    }
}
