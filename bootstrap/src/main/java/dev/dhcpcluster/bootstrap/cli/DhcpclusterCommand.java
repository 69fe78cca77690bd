package dev.dhcpcluster.bootstrap.cli;

import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code dhcpcluster} command and its subcommands. Exit codes: 0 success, 1 a failure while
 * running (a node that could not start or failed, a client run that found a problem), 2 a bad
 * command line or a bad config file.
 */
@Command(name = "dhcpcluster",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A distributed DHCPv4 server.",
        subcommands = {RunCommand.class, RelayCommand.class, ConfigCommand.class, StatusCommand.class, LeasesCommand.class, LeaseCommand.class,
            ReloadCommand.class, ClusterKeyCommand.class, ClientCommand.class, DemoCommand.class,
            CommandLine.HelpCommand.class})
public final class DhcpclusterCommand implements Runnable {

    /** Exit code of a failure while running. */
    public static final int FAILED = 1;
    /** Exit code of a bad command line or config file. */
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--log-level", scope = ScopeType.INHERIT, paramLabel = "LEVEL",
            description = "TRACE, DEBUG, INFO (default), WARN, ERROR or OFF; also -Ddhcpcluster.log.level=LEVEL.")
    void logLevel(Logging.LogLevel level) {
        Logging.setLevel(level);
    }

    @Option(names = "--log-format", scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "text (default: readable lines) or json (one JSON object per line); "
                    + "also -Ddhcpcluster.log.format=FORMAT.")
    void logFormat(Logging.LogFormat format) {
        Logging.setFormat(format);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand");
    }

    /** A command line for {@code dhcpcluster}, with output to the given writers (for tests). */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        // First: building the command line loads classes whose loggers would start Logback.
        Logging.useCommandConfiguration();
        Logging.bridgeJavaUtilLogging();
        CommandLine commandLine = new CommandLine(new DhcpclusterCommand());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setOut(out);
        commandLine.setErr(err);
        CommandLine.IParameterExceptionHandler standard = commandLine.getParameterExceptionHandler();
        commandLine.setParameterExceptionHandler((error, args) -> standard.handleParseException(unknownFirst(error), args));
        return commandLine;
    }

    /**
     * The error to report for a bad command line: an unknown option or argument before anything
     * else. Picocli checks required options before it complains about unknown ones, so
     * {@code run --bogus} would say that {@code --config} is missing, which sends the user after
     * the wrong mistake (and a mistyped {@code --confg} is both at once).
     */
    static CommandLine.ParameterException unknownFirst(CommandLine.ParameterException error) {
        if (error instanceof CommandLine.UnmatchedArgumentException) {
            return error;
        }
        CommandLine where = error.getCommandLine();
        if (where == null || where.getUnmatchedArguments().isEmpty()) {
            return error;
        }
        return new CommandLine.UnmatchedArgumentException(where, where.getUnmatchedArguments());
    }

    /** Runs {@code dhcpcluster args} on standard output and error; returns the exit code. */
    public static int execute(String... args) {
        Logging.useCommandConfiguration();
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        Optional<String> badFormat = Logging.formatPropertyProblem();
        if (badFormat.isPresent()) {
            // Before anything starts the logging backend, which could not find the format.
            err.println(badFormat.get());
            return USAGE;
        }
        try {
            return commandLine(out, err).execute(args);
        } finally {
            out.flush();
            err.flush();
            Logging.flush();
        }
    }
}
