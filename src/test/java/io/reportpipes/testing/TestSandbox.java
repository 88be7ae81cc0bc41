package io.reportpipes.testing;

import io.reportpipes.sandbox.CrewmojoSandbox;
import io.reportpipes.sandbox.SandboxServer;
import io.reportpipes.sandbox.ServiceminderSandbox;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;

/**
 * A test's vendor sandbox: serves the vendors the test set up on a free port, and stops once the test ended
 * (register it with {@code @RegisterExtension}). Serving again, in the middle of a test, replaces the server.
 */
public final class TestSandbox implements AfterEachCallback {

    private SandboxServer server;

    public SandboxServer serve(ServiceminderSandbox serviceminder) throws IOException {
        stop();
        server = SandboxServer.start(0, serviceminder);
        return server;
    }

    public SandboxServer serve(ServiceminderSandbox serviceminder, CrewmojoSandbox crewmojo) throws IOException {
        stop();
        server = SandboxServer.start(0, serviceminder, crewmojo);
        return server;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stop();
    }

    private void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
