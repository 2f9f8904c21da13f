package io.stratus.e2e.lambda;

import java.io.IOException;

/** Whether this machine gives Lambda functions a private {@code /tmp} (it lets unprivileged processes have mount namespaces). */
final class PrivateTmps {

    private static final boolean AVAILABLE = probe();

    private PrivateTmps() {}

    static boolean available() {
        return AVAILABLE;
    }

    private static boolean probe() {
        try {
            Process probe = new ProcessBuilder("unshare", "--user", "--map-root-user", "--mount", "true").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return probe.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
