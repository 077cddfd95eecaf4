package io.keyfleet.cli;

import io.keyfleet.launcher.LocalSecrets;

import io.keyfleet.cli.KeyServiceClient.KeyView;
import io.keyfleet.cli.KeyServiceClient.NewVersion;
import io.keyfleet.cli.KeyServiceClient.VersionView;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Carries out {@code ./keyfleet keys ...} and {@code tenants create} against key-service. Exit 0 done, 1 when
 * key-service refused (its problem's detail and code on one line), could not be reached, or the private key could not
 * be stored. Usage errors (exit 2) never get here.
 */
final class ManagementCommands {

    private final PrintStream out;
    private final PrintStream err;
    private final Supplier<Optional<Integer>> portOfRunningUp;
    private final Supplier<Optional<String>> apiKey;

    ManagementCommands(PrintStream out, PrintStream err, Supplier<Optional<Integer>> portOfRunningUp,
                       Supplier<Optional<String>> apiKey) {
        this.out = out;
        this.err = err;
        this.portOfRunningUp = portOfRunningUp;
        this.apiKey = apiKey;
    }

    int run(Command.Manage command) {
        URI url = KeyServiceLocation.resolve(command.target().url(), portOfRunningUp);
        String tenant = command.target().tenant().orElse(null);
        KeyServiceClient client = new KeyServiceClient(url, tenant, apiKey.get().orElse(null));
        try {
            out.print(execute(client, tenant, command.action()));
            out.flush();
            return 0;
        } catch (KeyServiceException e) {
            err.println("keyfleet: " + e.getMessage());
            if (e.code().filter("TENANT_NOT_FOUND"::equals).isPresent() && tenant != null) {
                err.println("Create it with: ./keyfleet tenants create " + tenant + " --name NAME");
            }
            if (e.code().filter(code -> code.equals("MISSING") || code.equals("NOT_FOUND") || code.equals("REVOKED")).isPresent()) {
                err.println("Give an API key in KEYFLEET_API_KEY; a local ./keyfleet up keeps the admin key in .keyfleet/secrets/"
                        + LocalSecrets.ADMIN_KEY_FILE + ".");
            }
            return 1;
        } catch (CommandFailure e) {
            err.println("keyfleet: " + e.getMessage());
            return 1;
        }
    }

    private String execute(KeyServiceClient client, String tenant, ManagementAction action) throws CommandFailure {
        if (action instanceof ManagementAction.CreateTenant create) {
            return KeyOutput.tenantCreated(client.createTenant(create.id(), create.name()));
        }
        if (action instanceof ManagementAction.GenerateKey generate) {
            Optional<PrivateKeyFile> file = reserve(generate.privateKeyOut());
            NewVersion created = abandonOnFailure(file, () -> client.generate(generate.provider(), generate.appId(),
                    generate.environment(), generate.algorithm()));
            return KeyOutput.generated(generate, created, store(created, file));
        }
        if (action instanceof ManagementAction.RotateKey rotate) {
            Optional<PrivateKeyFile> file = reserve(rotate.privateKeyOut());
            NewVersion rotated = abandonOnFailure(file, () -> client.rotate(rotate.keyId(), rotate.algorithm()));
            Optional<Path> stored = store(rotated, file);
            // the key is safe by now; failing to learn the grace end must not lose it
            Optional<VersionView> replaced;
            try {
                replaced = KeyOutput.replacedVersion(client.key(rotate.keyId()), rotated.version());
            } catch (KeyServiceException e) {
                replaced = Optional.empty();
            }
            return KeyOutput.rotated(rotated, replaced, stored);
        }
        if (action instanceof ManagementAction.StageVersion stage) {
            Optional<PrivateKeyFile> file = reserve(stage.privateKeyOut());
            NewVersion staged = abandonOnFailure(file, () -> client.stage(stage.keyId(), stage.algorithm()));
            return KeyOutput.staged(staged, tenant, store(staged, file));
        }
        if (action instanceof ManagementAction.PromoteVersion promote) {
            KeyView key = client.promote(promote.keyId(), promote.version());
            return KeyOutput.promoted(key, promote.version());
        }
        if (action instanceof ManagementAction.ListKeys list) {
            return KeyOutput.keyList(client.listAll(list.provider(), list.appId(), list.environment()), tenant, list);
        }
        if (action instanceof ManagementAction.ShowKey show) {
            return KeyOutput.keyDetails(client.key(show.keyId()));
        }
        if (action instanceof ManagementAction.ShowPublicKey publicKey) {
            return KeyOutput.publicKey(client.publicKey(publicKey.keyId(), publicKey.pem(), publicKey.version()));
        }
        throw new IllegalStateException("unhandled action " + action);
    }

    private static Optional<PrivateKeyFile> reserve(Optional<Path> requested) throws CommandFailure {
        return requested.isPresent() ? Optional.of(PrivateKeyFile.create(requested.get())) : Optional.empty();
    }

    private interface Call<T> {
        T call() throws KeyServiceException;
    }

    /** The reserved file goes again if key-service made no key. */
    private static <T> T abandonOnFailure(Optional<PrivateKeyFile> file, Call<T> call) throws KeyServiceException {
        try {
            return call.call();
        } catch (KeyServiceException | RuntimeException e) {
            file.ifPresent(PrivateKeyFile::abandon);
            throw e;
        }
    }

    /** Writes the private key into the reserved file; empty when there is none, so that the output prints it once. */
    private static Optional<Path> store(NewVersion created, Optional<PrivateKeyFile> file) throws CommandFailure {
        if (file.isEmpty()) {
            return Optional.empty();
        }
        if (created.privateKeyPem() == null) {
            file.get().abandon();
            throw new CommandFailure("version " + created.version() + " of key " + created.keyId()
                    + " was made, but key-service sent no private key for it; nothing was written to "
                    + file.get().path());
        }
        try {
            file.get().write(created.privateKeyPem());
            return Optional.of(file.get().path());
        } catch (IOException e) {
            file.get().abandon();
            throw new CommandFailure("version " + created.version() + " of key " + created.keyId() + " was made, but "
                    + "its private key could not be written to " + file.get().path() + " (" + e.getMessage()
                    + ") and is not shown anywhere else; rotate the key to get a new one");
        }
    }
}
