package dev.coderssh.app;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.cli.Command;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.cli.TerminalText;
import java.util.List;

/**
 * {@code coder-ssh}'s entry point and the one place that turns exceptions into exit codes.
 *
 * <p>Dispatch is a plain switch, not a registry of lambdas or a CLI framework: only the chosen
 * command's classes get loaded, which keeps the ProxyCommand's start-up near a bare JVM's.
 */
public final class Main {
    static final String VERSION = Version.current();

    private Main() {
    }

    public static void main(String[] argv) {
        int code = run(List.of(argv), Console.system());
        if ("1".equals(System.getenv(CdsTraining.ENV))) {
            // Only in the run that records the class-data archive (the launcher says so).
            CdsTraining.runIfAsked(System.getenv(), argv.length > 0 ? argv[0] : "");
        }
        System.exit(code);
    }

    /** Runs one command line; tests call this in-process with their own console. */
    public static int run(List<String> argv, Console console) {
        if (argv.isEmpty()) {
            // Asked for nothing: the overview, as a usage error (stderr, exit 2).
            console.err().print(Help.TOP);
            return ExitCode.USAGE.code();
        }
        String name = argv.get(0);
        if (name.equals("--help") || name.equals("-h") || (name.equals("help") && argv.size() == 1)) {
            console.out().print(Help.TOP);
            return ExitCode.OK.code();
        }
        if (name.equals("--version") || name.equals("version")) {
            console.out().print(Version.describe());
            return ExitCode.OK.code();
        }
        boolean helpOf = name.equals("help");
        if (helpOf) {
            if (argv.size() > 2) {
                console.err().println("coder-ssh help: give one command (see coder-ssh --help)");
                return ExitCode.USAGE.code();
            }
            name = argv.get(1);
        }
        List<String> rest = argv.subList(1, argv.size());
        try {
            Command command = command(name, console);
            if (command == null) {
                console.err().println("coder-ssh: unknown command \"" + name + "\" (see coder-ssh --help)");
                return ExitCode.USAGE.code();
            }
            if (helpOf || Help.asked(rest)) {
                console.out().print(command.help());
                return ExitCode.OK.code();
            }
            return command.run(rest, console);
        } catch (CoderSshException e) {
            // Messages may quote a server (an error description, a version): escaped, one line.
            console.err().println("coder-ssh " + name + ": " + TerminalText.escape(e.getMessage()));
            return e.exitCode().code();
        } catch (Exception | Error e) {
            // Unexpected (a bug: each such failure should become a CoderSshException where it
            // happens): one line in words, no class name and no message, which might echo input.
            console.err().println("coder-ssh " + name + ": failed unexpectedly (" + Unexpected.words(e)
                    + "); please report this with the command you ran");
            return ExitCode.FAILURE.code();
        }
    }

    private static Command command(String name, Console console) {
        switch (name) {
            case "login":
                return new dev.coderssh.core.command.LoginCommand(VERSION);
            case "logout":
                return new dev.coderssh.core.command.LogoutCommand(VERSION);
            case "status":
                return new dev.coderssh.core.command.StatusCommand(VERSION);
            case "token":
                return new dev.coderssh.core.command.TokenCommand(VERSION);
            case "proxy":
                return new dev.coderssh.proxy.ProxyCommand(new CoreAdapter(console, VERSION));
            case "doctor":
                return new dev.coderssh.proxy.doctor.DoctorCommand(new CoreAdapter(console, VERSION));
            case "completion":
                return new Completion();
            case "config-ssh":
                return new dev.coderssh.config.ConfigSshCommand(
                        (url, http) -> dev.coderssh.core.CoreServices.create(console, http, VERSION).api(url),
                        () -> new CoreAdapter(console, VERSION).signedIn());
            default:
                return null;
        }
    }
}
