package dev.coderssh.core.cli;

import dev.coderssh.core.CoderSshException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small command-line parser: {@code --flag}, {@code --opt value}, {@code --opt=value}, repeatable
 * options, positionals and {@code --}. Hand-written because a CLI framework costs the ProxyCommand
 * 150-200 ms of class loading on every ssh connection.
 */
public final class Args {
    private final Map<String, List<String>> values;
    private final Set<String> flags;
    private final List<String> positionals;

    private Args(Map<String, List<String>> values, Set<String> flags, List<String> positionals) {
        this.values = values;
        this.flags = flags;
        this.positionals = positionals;
    }

    /**
     * Parses {@code args}. {@code flagNames} take no value; {@code optionNames} take one (and may
     * repeat). Names are given with their dashes, e.g. {@code "--url"} or {@code "-o"}.
     * An unknown option is a usage error.
     */
    public static Args parse(List<String> args, Set<String> flagNames, Set<String> optionNames) {
        Map<String, List<String>> values = new HashMap<>();
        Set<String> flags = new HashSet<>();
        List<String> positionals = new ArrayList<>();
        boolean onlyPositionals = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (onlyPositionals || !arg.startsWith("-") || arg.equals("-")) {
                positionals.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                onlyPositionals = true;
                continue;
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (flagNames.contains(name)) {
                if (value != null) {
                    throw CoderSshException.usage("option " + name + " takes no value");
                }
                flags.add(name);
            } else if (optionNames.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw CoderSshException.usage("option " + name + " needs a value");
                    }
                    value = args.get(++i);
                }
                // No lambdas here: the first one costs the ProxyCommand's fast path milliseconds.
                List<String> list = values.get(name);
                if (list == null) {
                    list = new ArrayList<>();
                    values.put(name, list);
                }
                list.add(value);
            } else {
                throw CoderSshException.usage("unknown option " + name);
            }
        }
        return new Args(values, flags, positionals);
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }

    /** The last value given for {@code name}, or null. */
    public String value(String name) {
        List<String> all = values.get(name);
        return all == null ? null : all.get(all.size() - 1);
    }

    public String value(String name, String fallback) {
        String v = value(name);
        return v == null ? fallback : v;
    }

    public List<String> values(String name) {
        List<String> all = values.get(name);
        return all == null ? List.of() : Collections.unmodifiableList(all);
    }

    public List<String> positionals() {
        return Collections.unmodifiableList(positionals);
    }

    /** The positionals, checked to number between min and max. */
    public List<String> positionals(int min, int max, String usage) {
        if (positionals.size() < min || positionals.size() > max) {
            throw CoderSshException.usage(usage);
        }
        return positionals();
    }
}
