package dev.coderssh.core.command;

import dev.coderssh.core.CoreServices;
import dev.coderssh.core.cli.Args;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.cli.DeploymentChoice;
import dev.coderssh.core.cli.NetworkFlags;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.store.Credentials;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** What login, logout, status and token share: the network flags and the choice of deployment. */
final class CommonOptions {
    static final String URL_HELP = "  --url URL               the deployment (instead of the positional URL)";
    static final String CHOICE_HELP = String.join("\n",
            "The deployment: the URL given, else $CODER_URL, else the only deployment signed in to.",
            "");

    private CommonOptions() {
    }

    static Set<String> flags(String... more) {
        return NetworkFlags.flags(more);
    }

    static Set<String> options(String... more) {
        Set<String> s = NetworkFlags.options(more);
        s.add("--url");
        return s;
    }

    static CoreServices services(Args a, Console console, String version) {
        return CoreServices.create(console, NetworkFlags.http(a, console), version);
    }

    /** The deployment by {@link DeploymentChoice}'s rule, from at most one positional. */
    static DeploymentUrl deployment(Args a, Console console, CoreServices core, String command, boolean needsSignIn) {
        List<String> pos = a.positionals(0, 1, "usage: coder-ssh " + command + " [<deployment-url>] (see --help)");
        String named = DeploymentChoice.named(pos.isEmpty() ? null : pos.get(0), a, console);
        if (named != null) {
            return url(named, a);
        }
        return DeploymentChoice.only(signedIn(core), command, needsSignIn);
    }

    static List<DeploymentUrl> signedIn(CoreServices core) {
        List<DeploymentUrl> out = new ArrayList<>();
        for (Credentials c : core.store().list()) {
            out.add(DeploymentUrl.parse(c.url(), true));
        }
        return out;
    }

    static DeploymentUrl url(String text, Args a) {
        return DeploymentUrl.parse(text, a.flag(NetworkFlags.INSECURE));
    }
}
