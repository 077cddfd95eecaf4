package io.keyfleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The root Dockerfile, read without a Docker engine: pinned bases, stages that exist before they are used, a context
 * (the repository less .dockerignore) that holds everything the builder copies and Maven reads, service stages that
 * copy what the builder's Maven command makes, and images as docs/operations.md describes them.
 */
class ContainerImagesTest {

    private static Dockerfile dockerfile;
    private static ImageRules.Context context;
    private static MavenReactor reactor;

    @BeforeAll
    static void load() {
        dockerfile = Dockerfile.parse(Repo.read("Dockerfile"));
        context = ImageRules.Context.of(Repo.ROOT, "Dockerfile");
        reactor = MavenReactor.read(Repo.ROOT);
    }

    static List<ServiceCatalog.Service> services() {
        return ServiceCatalog.ALL;
    }

    @Test
    void everyBaseImageIsPinnedOrAnEarlierStage() {
        assertThat(ImageRules.bases(dockerfile)).isEmpty();
    }

    @Test
    void everyCopyFromNamesAnEarlierStage() {
        assertThat(ImageRules.stageReferences(dockerfile)).isEmpty();
    }

    @Test
    void everyCopiedPathExistsAndIsNotExcludedByDockerignore() {
        assertThat(ImageRules.contextSources(dockerfile, context)).isEmpty();
    }

    @Test
    void theBuilderHasEverythingItsMavenCommandReads() {
        assertThat(ImageRules.builder(dockerfile, context, reactor)).isEmpty();
        ImageRules.Builder builder = ImageRules.builder(dockerfile, context).orElseThrow();
        assertThat(builder.projects()).as("the builder builds every deployable")
                .containsExactlyInAnyOrderElementsOf(ServiceCatalog.ALL.stream().map(ServiceCatalog.Service::module).toList());
        assertThat(builder.testsSkipped()).isTrue();
        // what the reactor resolves -am to, so that a change of the poms shows up here
        assertThat(reactor.alsoMake(builder.projects())).containsExactlyInAnyOrder("provider-sandbox", "key-service",
                "signing-service", "token-service", "sync-service", "service-kit", "event-contracts", "auth-contracts",
                "key-service-api", "key-service-stub", "signing-service-api", "test-kit", "local-stack");
    }

    @Test
    void theServiceStagesCopyWhatTheBuildersMavenCommandMakes() {
        assertThat(ImageRules.builderOutputs(dockerfile, context, reactor)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("services")
    void eachServiceHasANonRootImageWithItsFastJarAndAHealthCheckOnItsPort(ServiceCatalog.Service service) {
        assertThat(ImageRules.serviceImage(dockerfile, context, service.name(), service.module(), service.httpPort())).isEmpty();
    }
}
