package io.stratus.e2e.lambda;

import java.io.IOException;

/** Whether this machine gives Lambda functions a private {@code /tmp} (it lets unprivileged processes have mount namespaces). */
final class PrivateTmps {

    private static final boolean AVAILABLE = probe();

    private PrivateTmps() {}

    static boolean available() {
        return AVAILABLE;
    }

    /** What Stratus's own check does (PrivateTmp): a directory mounted over /tmp in a new user and mount namespace. */
    private static boolean probe() {
        java.nio.file.Path dir = null;
        try {
            dir = java.nio.file.Files.createTempDirectory(java.nio.file.Path.of("/tmp"), "stratus-e2e-private-tmp");
            java.nio.file.Files.createFile(dir.resolve("marker"));
            Process probe = new ProcessBuilder("unshare", "--user", "--map-root-user", "--mount", "--", "/bin/sh", "-c",
                    "mount --rbind \"$0\" /tmp && test -e /tmp/marker", dir.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return probe.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (dir != null) {
                try {
                    java.nio.file.Files.deleteIfExists(dir.resolve("marker"));
                    java.nio.file.Files.deleteIfExists(dir);
                } catch (IOException e) {
                    // A temporary directory.
                }
            }
        }
    }
}
