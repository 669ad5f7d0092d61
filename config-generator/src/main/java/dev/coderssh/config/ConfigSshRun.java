package dev.coderssh.config;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.api.CoderApi;
import dev.coderssh.core.api.DeploymentSsh;
import dev.coderssh.core.api.Workspace;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.deployment.DeploymentUrl;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One config-ssh round: list workspaces, render the block, splice it in under the lock, then check
 * for shadowing. Everything from the network is fetched before the lock is taken, so a slow
 * deployment never holds other runs up.
 */
final class ConfigSshRun {
    static final String SESSION_TYPE = "coder-ssh";

    private final ConfigSshCommand.Request request;
    private final Function<DeploymentUrl, CoderApi> apis;
    private final ConfigSshEnvironment env;
    private final Console console;
    private TreeSet<String> lastNames;

    ConfigSshRun(ConfigSshCommand.Request request, Function<DeploymentUrl, CoderApi> apis, ConfigSshEnvironment env,
                 Console console) {
        this.request = request;
        this.apis = apis;
        this.env = env;
        this.console = console;
    }

    /** Runs one round; {@code quiet} (later --watch rounds) logs only what changed. */
    void once(boolean quietIfKnown) throws IOException {
        // Until a round has succeeded there is nothing to compare with: report in full.
        boolean quiet = quietIfKnown && lastNames != null;
        ConfigFile file = new ConfigFile(request.file());
        String authority = request.url().authority();
        Parsed before = parse(file.read(), authority);
        if (request.remove()) {
            remove(file, before, authority);
            return;
        }
        GenerationOptions gen = request.options();
        if (request.usePrevious() && before instanceof Parsed.Block block) {
            gen = GenerationOptions.previous(block.previousOptions(), gen, request.prefixGiven());
            if (!Names.validPrefix(gen.hostPrefix())) {
                // The comment is in the user's file, so it may have been edited into anything.
                throw CoderSshException.failure("the block's recorded host-prefix " + Names.describe(gen.hostPrefix())
                        + " is not valid; run without --use-previous-options");
            }
        }
        List<String> warnings = new ArrayList<>();
        CoderApi api = apis.apply(request.url());
        DeploymentSsh deployment = api.deploymentSsh();
        HostForms forms = HostForms.of(gen, request.prefixGiven() || request.usePrevious() && before instanceof Parsed.Block,
                deployment, warnings);
        gen = gen.withHostPrefix(forms.prefix());
        List<String> names = List.of();
        if (gen.workspaces()) {
            String me = gen.allOwners() ? api.me().username() : null;
            List<Workspace> workspaces = api.workspaces(gen.allOwners() ? "" : "owner:me");
            HostNames.Result result = HostNames.of(forms.prefix(), forms.suffix(), workspaces, me);
            names = result.names();
            warnings.addAll(result.warnings());
        }
        List<BlockRenderer.Section> sections = new ArrayList<>();
        sections.add(new BlockRenderer.Section(forms.prefix() + "*", options(gen, null, deployment, warnings)));
        if (forms.suffix() != null) {
            // Merge warnings were given once already, for the prefix section.
            sections.add(new BlockRenderer.Section("*." + forms.suffix(),
                    options(gen, forms.suffix(), deployment, new ArrayList<>())));
        }
        List<String> block = new ArrayList<>();
        for (String line : BlockRenderer.render(authority, request.url().toString(), gen, names, sections)) {
            block.add(ConfigFile.bytesOf(line));
        }
        if (!quiet || changed(names)) {
            for (String w : warnings) {
                console.err().println("coder-ssh config-ssh: warning: " + w);
            }
        }
        if (request.dryRun()) {
            String current = ConfigText.join(before.text().lines());
            String next = Splicer.write(before, block);
            console.out().print(ConfigFile.textOf(UnifiedDiff.diff(file.path() + "", file.path() + " (coder-ssh)", current, next)));
            return;
        }
        String[] written = new String[1];
        boolean wrote = file.update(current -> {
            // Re-parsed under the lock: another run may have written since we first looked.
            String next = Splicer.write(parse(current, authority), block);
            written[0] = next;
            return next;
        });
        report(quiet, wrote, names, file);
        if (written[0] != null && (wrote || !quiet)) {
            Parsed after = BlockParser.parse(written[0], authority);
            if (after instanceof Parsed.Block b) {
                shadowCheck(file, written[0], b.start(), gen, forms, names, sections);
            }
        }
        lastNames = new TreeSet<>(names);
    }

    /** Checks each form's hosts against the options of the section that serves them. */
    private void shadowCheck(ConfigFile file, String content, int start, GenerationOptions gen, HostForms forms,
                             List<String> names, List<BlockRenderer.Section> sections) {
        List<List<String>> hosts = new ArrayList<>();
        hosts.add(new ArrayList<>(forms.suffix() == null ? names : List.of()));
        if (forms.suffix() != null) {
            hosts.add(new ArrayList<>(names));
        }
        if (gen.wildcard()) {
            hosts.get(0).add(forms.prefixExample());
            if (forms.suffix() != null) {
                hosts.get(1).add(forms.suffixExample());
            }
        }
        for (int i = 0; i < hosts.size(); i++) {
            Map<String, String> ours = new HashMap<>();
            for (SshOptions.Option o : sections.get(i).options()) {
                ours.putIfAbsent(o.key().toLowerCase(Locale.ROOT), ConfigFile.bytesOf(o.value()));
            }
            for (String w : ShadowCheck.check(env.userHome(), file.path(), content, start, hosts.get(i), ours, env.ssh())) {
                console.err().println("coder-ssh config-ssh: " + w);
            }
        }
    }

    private List<SshOptions.Option> options(GenerationOptions gen, String suffix, DeploymentSsh deployment,
                                            List<String> warnings) {
        List<SshOptions.Option> user = new ArrayList<>();
        for (String o : gen.userOptions()) {
            user.add(SshOptions.parseUserOption(o));
        }
        List<SshOptions.Option> defaults = new ArrayList<>();
        defaults.add(new SshOptions.Option("ProxyCommand", ProxyCommands.of(request.launcher(), request.url(), gen.hostPrefix(), suffix,
                gen.proxyArgs(), env.windows())));
        defaults.add(new SshOptions.Option("ConnectTimeout", "0"));
        defaults.add(new SshOptions.Option("StrictHostKeyChecking", "no"));
        defaults.add(new SshOptions.Option("UserKnownHostsFile", env.windows() ? "NUL" : "/dev/null"));
        defaults.add(new SshOptions.Option("LogLevel", "ERROR"));
        defaults.add(new SshOptions.Option("ServerAliveInterval", "10"));
        defaults.add(new SshOptions.Option("ServerAliveCountMax", "3"));
        // SetEnv makes OpenSSH older than 7.8 refuse the whole file (vscode-coder#73).
        env.ssh().version().ifPresent(v -> {
            if (v[0] > 7 || (v[0] == 7 && v[1] >= 8)) {
                defaults.add(new SshOptions.Option("SetEnv", "CODER_SSH_SESSION_TYPE=" + SESSION_TYPE));
            }
        });
        Map<String, String> fromDeployment = deployment == null ? Map.of() : deployment.sshConfigOptions();
        return SshOptions.merge(user, fromDeployment, defaults, warnings);
    }

    private void remove(ConfigFile file, Parsed before, String authority) throws IOException {
        if (!(before instanceof Parsed.Block)) {
            console.err().println("coder-ssh config-ssh: no coder-ssh block for " + authority + " in " + file.path());
            return;
        }
        if (request.dryRun()) {
            String current = ConfigText.join(before.text().lines());
            console.out().print(ConfigFile.textOf(UnifiedDiff.diff(file.path() + "", file.path() + " (coder-ssh)", current,
                    Splicer.remove(before))));
            return;
        }
        file.update(current -> Splicer.remove(parse(current, authority)));
        console.err().println("coder-ssh config-ssh: removed the block for " + authority + " from " + file.path());
    }

    private void report(boolean quiet, boolean wrote, List<String> names, ConfigFile file) {
        if (!quiet) {
            console.err().println("coder-ssh config-ssh: " + (wrote ? "wrote " : "unchanged: ") + names.size()
                    + " workspace host(s) for " + request.url().authority() + " in " + file.path());
            if (!names.isEmpty()) {
                // The next step, as gh prints one: the command that uses what was just written.
                boolean sshReadsIt = file.path().getFileName().toString().equals("config")
                        && file.path().getParent() != null && file.path().getParent().getFileName() != null
                        && file.path().getParent().getFileName().toString().equals(".ssh");
                console.err().println("Next: ssh " + (sshReadsIt ? "" : "-F " + file.path() + " ") + names.get(0)
                        + " (or pick it in your IDE's SSH host list)");
            }
            return;
        }
        if (lastNames != null && changed(names)) {
            TreeSet<String> added = new TreeSet<>(names);
            added.removeAll(lastNames);
            TreeSet<String> removed = new TreeSet<>(lastNames);
            removed.removeAll(names);
            console.err().println("coder-ssh config-ssh: " + file.path() + ": added " + added + ", removed " + removed);
        }
    }

    private boolean changed(List<String> names) {
        return lastNames == null || !lastNames.equals(new TreeSet<>(names));
    }

    /** The parse of {@code content}; malformed markers stop the run with every problem named. */
    static Parsed parse(String content, String authority) {
        Parsed parsed = BlockParser.parse(content == null ? "" : content, authority);
        if (parsed instanceof Parsed.Malformed m) {
            throw CoderSshException.failure("refusing to edit the ssh config: " + String.join("; ", m.problems())
                    + "; fix the markers by hand (nothing was written)");
        }
        return parsed;
    }
}
