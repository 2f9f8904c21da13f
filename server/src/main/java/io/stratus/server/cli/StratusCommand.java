package io.stratus.server.cli;

import io.stratus.server.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code stratus}: the command line. Each option can also be set with an environment variable. */
@Command(name = "stratus",
        mixinStandardHelpOptions = true,
        versionProvider = StratusCommand.VersionProvider.class,
        description = "The AWS serverless stack as one program.",
        subcommands = {StartCommand.class, CommandLine.HelpCommand.class})
public final class StratusCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Netty's leak detector records a stack trace for a sample of buffers, a cost on every
        // request of a busy server; it is for finding leaks in tests, so a served Stratus runs
        // without it unless asked (-Dio.netty.leakDetection.level=simple through STRATUS_JAVA_OPTS).
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        int exitCode = commandLine().execute(args);
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    /** The command line as {@code main} runs it: enum values such as {@code rocksdb} in any case. */
    static CommandLine commandLine() {
        return new CommandLine(new StratusCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"stratus " + Version.get(), "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
