package dev.keiryo.engine.cli;

import dev.keiryo.engine.GeneratedDocs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Keeps {@code docs/cli.md} equal to what the commands themselves print for {@code --help}, so the
 * reference cannot drift from the code. With {@code -Dkeiryo.docs.write=true} it rewrites the file.
 */
class CliDocsTest {
    private static final Path CLI_DOC = Path.of("..", "docs", "cli.md");

    /** Fixed, so the file does not depend on the terminal the test runs in. */
    private static final int WIDTH = 100;

    static final String REGENERATE = "./mvnw -B -ntp -o -q -pl engine test -Dtest=CliDocsTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dkeiryo.docs.write=true";

    @Test
    void cliReferenceMatchesTheCommands() throws IOException {
        GeneratedDocs.check(CLI_DOC, render(), "the commands' help", REGENERATE);
    }

    static String render() {
        CommandLine root = KeiryoCli.commandLine();
        root.setUsageHelpAutoWidth(false);
        root.setUsageHelpWidth(WIDTH);
        StringBuilder md = new StringBuilder();
        md.append("# Command-line reference\n\n")
                .append("Every `keiryo` command with its options, exactly as `keiryo <command> --help`")
                .append(" prints them.\n")
                .append("This page is generated from the commands by `CliDocsTest`; to regenerate it:\n\n")
                .append("```sh\n")
                .append(REGENERATE)
                .append("\n```\n\n")
                .append("Exit codes, data sources and the experiment file are described in [the guides](README.md).\n");
        section(md, root);
        return md.toString();
    }

    /** Trailing blanks stripped per line: editors remove them, and the comparison must not care. */
    private static String usage(CommandLine command) {
        return command.getUsageMessage(CommandLine.Help.Ansi.OFF)
                .lines()
                .map(String::stripTrailing)
                .collect(Collectors.joining("\n"))
                .strip();
    }

    private static void section(StringBuilder md, CommandLine command) {
        if (command.getCommandSpec().userObject() instanceof CommandLine.HelpCommand) {
            return;
        }
        md.append("\n## ")
                .append(command.getCommandSpec().qualifiedName())
                .append("\n\n```text\n")
                .append(usage(command))
                .append("\n```\n");
        // Aliases map to the same CommandLine; document each command once, under its own name.
        command.getSubcommands().forEach((name, sub) -> {
            if (name.equals(sub.getCommandName())) {
                section(md, sub);
            }
        });
    }
}
