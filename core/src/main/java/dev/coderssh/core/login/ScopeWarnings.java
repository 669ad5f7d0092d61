package dev.coderssh.core.login;

import dev.coderssh.core.scope.Capability;
import dev.coderssh.core.scope.ScopeAssessment;
import dev.coderssh.core.scope.ScopeCatalog;
import dev.coderssh.core.token.Scopes;
import java.io.PrintStream;

/**
 * After a sign-in: one line per SSH step the granted scopes cannot do, so a server that lists
 * fewer scopes (or a narrow {@code --scope}) is noticed at login rather than mid-session.
 */
final class ScopeWarnings {
    private ScopeWarnings() {
    }

    static void print(PrintStream err, String granted) {
        ScopeAssessment a = ScopeCatalog.assess(Scopes.parse(granted));
        for (Capability c : a.missing()) {
            err.println("Warning: on servers that enforce scopes (Coder 2.35+), " + c.withoutIt() + " (" + c.id()
                    + " needs " + String.join(" and ", c.needs()) + ")");
        }
        for (Capability c : a.versionDependent()) {
            err.println("Warning: on some Coder versions, " + c.withoutIt() + " (" + c.id() + " needs "
                    + String.join(" and ", c.needs()) + ")");
        }
    }
}
