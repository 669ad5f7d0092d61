package dev.coderssh.proxy.doctor;

import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.scope.Capability;
import dev.coderssh.core.scope.ScopeCatalog;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one probe's answer: allowed, refused (and whether the sign-in's scopes or the account's
 * role is the cause, as far as the granted scopes tell), or neither.
 */
final class Verdicts {
    static final String ROUTE_NOT_FOUND = "Route not found.";
    private final DeploymentUrl url;
    private final Set<String> scopes;
    /**
     * The permissions the scopes grant on every version; null for a pasted session token (it may
     * do all its user may, so a refusal is the role's).
     */
    private final Set<String> granted;

    Verdicts(DeploymentUrl url, Set<String> scopes) {
        this.url = url;
        this.scopes = scopes;
        this.granted = scopes.isEmpty() ? null : ScopeCatalog.expand(scopes);
    }

    /**
     * @param permission what coderd checks for {@code call} (one of the capability's needs)
     * @param allowed    the statuses that only come past that check
     */
    Outcome judge(Capability c, String permission, String call, ScopeProbes.Reply r, Set<Integer> allowed) {
        if (r.problem() != null) {
            return Outcome.unknown(call + ": " + r.problem(), "run doctor again; check the deployment check above");
        }
        if (allowed.contains(r.status())) {
            return Outcome.pass(call + " allowed");
        }
        if (r.status() == 401) {
            return Outcome.unknown(call + ": the token was rejected (HTTP 401)", "run `coder-ssh login " + url + "`");
        }
        if (r.status() == 404 && ROUTE_NOT_FOUND.equals(r.message())) {
            // chi's answer for a path coderd does not serve; a refusal says "Resource not found ...".
            return Outcome.unknown(call + " answered HTTP 404 (Route not found.): this deployment does not serve it",
                    "compare with what `coder ssh` of this deployment calls");
        }
        if (r.status() != 403 && r.status() != 404) {
            return Outcome.unknown(call + " answered HTTP " + r.status() + " (" + r.message() + ")",
                    "check the deployment's logs, then run doctor again");
        }
        String refused = call + " refused (HTTP " + r.status() + "): ";
        if (granted == null) {
            return Outcome.fail(refused + "your account may not do this, so " + c.withoutIt(),
                    "ask a deployment admin about your role (a session token has all your account's rights)");
        }
        if (!granted.contains(permission) && !scopes.contains("coder:all") && !scopes.contains("all")) {
            return Outcome.fail(refused + "this sign-in lacks " + permission + ", so " + c.withoutIt(),
                    "run `coder-ssh login " + url + "` again to be granted " + permission);
        }
        return Outcome.fail(refused + "the granted scopes (" + String.join(" ", new TreeSet<>(scopes)) + ") include "
                + permission + ", so your account's role may not allow it, and " + c.withoutIt(),
                "ask a deployment admin about your role");
    }
}
