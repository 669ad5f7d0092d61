package dev.coderssh.core.cli;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.deployment.DeploymentUrl;
import java.util.List;

/**
 * The one rule every command uses to pick the deployment: a positional URL or {@code --url}, then
 * {@code $CODER_URL}, then the only deployment signed in to; otherwise a usage error naming the
 * choices. In two steps, so the ProxyCommand's fast path never lists the store when a URL is given.
 */
public final class DeploymentChoice {
    private DeploymentChoice() {
    }

    /** The deployment named on the command line or in the environment, or null. */
    public static String named(String positional, Args a, Console console) {
        String option = a.value("--url");
        if (positional != null && option != null && !positional.equals(option)) {
            throw CoderSshException.usage("two deployments given (" + positional + " and --url " + option + "): give one");
        }
        if (positional != null) {
            return positional;
        }
        return option != null ? option : console.env("CODER_URL");
    }

    /**
     * The only sign-in when none was named. None is "sign-in required" for a command that needs one
     * (exit 3, the fix is login); for login itself it is a usage error.
     */
    public static DeploymentUrl only(List<DeploymentUrl> signedIn, String command, boolean needsSignIn) {
        if (signedIn.size() == 1) {
            return signedIn.get(0);
        }
        String how = "give the deployment URL (coder-ssh " + command + " URL, or --url URL) or set CODER_URL";
        if (signedIn.isEmpty()) {
            if (needsSignIn) {
                throw CoderSshException.authRequired("not signed in to any deployment", "<url>");
            }
            throw CoderSshException.usage("which deployment? " + how);
        }
        StringBuilder names = new StringBuilder();
        for (DeploymentUrl u : signedIn) {
            names.append(names.length() == 0 ? "" : ", ").append(u);
        }
        throw CoderSshException.usage("signed in to several deployments (" + names + "): " + how);
    }
}
