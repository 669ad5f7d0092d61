package dev.coderssh.config;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.cli.Args;
import dev.coderssh.core.cli.NetworkFlags;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The proxy options config-ssh writes into each ProxyCommand (as {@code --name} or
 * {@code --name=value}) and records in the block for {@code --use-previous-options}. Recorded
 * ones come from a file a person may edit, so they are checked again against the same list.
 */
final class ProxyArgs {
    /** Options the proxy takes that config-ssh passes on; the values checked as the proxy would. */
    static final List<String> VALUED = List.of("--login", "--wait", "--coder-binary", NetworkFlags.HEADER,
            NetworkFlags.HEADER_COMMAND, NetworkFlags.CA, NetworkFlags.CERT, NetworkFlags.KEY);
    static final Set<String> FLAGS = Set.of("--disable-autostart");
    /** File options: made absolute, since ssh runs the ProxyCommand from wherever it was started. */
    private static final Set<String> FILES = Set.of("--coder-binary", NetworkFlags.CA, NetworkFlags.CERT, NetworkFlags.KEY);

    private ProxyArgs() {
    }

    /** The proxy options given on config-ssh's command line, in a fixed order. */
    static List<String> from(Args a) {
        List<String> out = new ArrayList<>();
        for (String flag : FLAGS) {
            if (a.flag(flag)) {
                out.add(flag);
            }
        }
        for (String name : VALUED) {
            List<String> values = name.equals(NetworkFlags.HEADER) ? a.values(name) : single(a, name);
            for (String v : values) {
                out.add(name + "=" + (FILES.contains(name) ? Path.of(v).toAbsolutePath().normalize() : v));
            }
        }
        return checked(out);
    }

    private static List<String> single(Args a, String name) {
        String v = NetworkFlags.value(a, name); // the old --ca-file names too
        return v == null ? List.of() : List.of(v);
    }

    /** Each argument, refused unless it is one of ours with a value the proxy accepts. */
    static List<String> checked(List<String> args) {
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            String value = eq < 0 ? null : arg.substring(eq + 1);
            if (FLAGS.contains(name) && value == null) {
                continue;
            }
            if (!VALUED.contains(name) || value == null || value.isEmpty() || Names.hasLineBreakOrNul(value)) {
                throw CoderSshException.usage("proxy option " + Names.describe(arg) + " cannot be written into the"
                        + " ProxyCommand");
            }
            String problem = switch (name) {
                case "--login" -> value.equals("none") || value.equals("browser") ? null : "--login takes none or browser";
                case "--wait" -> List.of("yes", "no", "auto").contains(value) ? null : "--wait takes yes, no or auto";
                case NetworkFlags.HEADER -> dev.coderssh.core.http.HeaderRules.problem(value);
                default -> FILES.contains(name) && !Path.of(value).isAbsolute() ? name + " needs an absolute path" : null;
            };
            if (problem != null) {
                throw CoderSshException.usage(name + ": " + problem);
            }
        }
        return List.copyOf(args);
    }
}
