package dev.keiryo.engine.cli;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.engine.Engine;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code keiryo} command. */
@Command(
        name = "keiryo",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT,
        versionProvider = VersionProvider.class,
        description = "Make neural networks lighter and train them faster.",
        subcommands = {
            InfoCommand.class,
            TrainCommand.class,
            EvalCommand.class,
            ImportCommand.class,
            ExportCommand.class,
            InspectCommand.class,
            PruneCommand.class,
            QuantizeCommand.class,
            DistillCommand.class,
            BenchCommand.class,
            DemoCommand.class,
            CommandLine.HelpCommand.class
        })
public final class KeiryoCli {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        return execute(null, null, args);
    }

    /** The command tree, with the help of every flag that sets a setting taken from its declaration. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new KeiryoCli());
        cli.setResourceBundle(new SettingsHelp());
        cli.registerConverter(Path.class, KeiryoCli::path);
        return cli;
    }

    /**
     * A path as typed. Java names files in the encoding of the system locale, so under a plain "C"
     * or "POSIX" locale a path with letters outside ASCII cannot even be formed: say so, and how to
     * start Keiryo instead of the JDK's "malformed input".
     */
    static Path path(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            String encoding = System.getProperty("sun.jnu.encoding", "unknown");
            throw new CommandLine.TypeConversionException("the path '" + value + "' cannot be used here: "
                    + (encoding.equalsIgnoreCase("UTF-8")
                            ? e.getReason()
                            : "file names are read in this system's locale encoding (" + encoding
                                    + "), which cannot hold its characters; start keiryo with a UTF-8 locale,"
                                    + " e.g. LANG=C.UTF-8")
                    + ".");
        }
    }

    /** As {@link #execute(String...)}, writing to {@code out} and {@code err} (null: standard out / err). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = commandLine();
        if (out != null) {
            cli.setOut(out);
        }
        if (err != null) {
            cli.setErr(err);
        }
        cli.setExecutionExceptionHandler(KeiryoCli::handle);
        cli.setParameterExceptionHandler((ex, a) -> {
            PrintWriter w = ex.getCommandLine().getErr();
            w.println("keiryo: " + ex.getMessage());
            w.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCode.BAD_INPUT;
        });
        cli.setExecutionStrategy(parsed -> {
            if (needsEngine(parsed)) {
                // Before anything touches ND4J: settings made after its natives load have no effect.
                Engine.local().prepare();
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        return cli.execute(args);
    }

    /** Help, version and a dry run never load the native libraries; every subcommand that runs does. */
    private static boolean needsEngine(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.isUsageHelpRequested()
                    || p.isVersionHelpRequested()
                    || p.commandSpec().userObject() instanceof CommandLine.HelpCommand
                    || (p.commandSpec().userObject() instanceof TrainCommand t && t.dryRun)) {
                return false;
            }
        }
        return parsed.hasSubcommand();
    }

    private static int handle(Exception ex, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        Throwable user = userError(ex);
        if (user != null) {
            err.println("keiryo: " + user.getMessage());
            return ExitCode.BAD_INPUT;
        }
        err.println("keiryo: internal error: " + ex);
        ex.printStackTrace(err);
        return ExitCode.INTERNAL;
    }

    private static Throwable userError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof KeiryoException) {
                return c;
            }
        }
        return null;
    }
}
