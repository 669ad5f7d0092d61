package dev.coderssh.core.command;

import dev.coderssh.core.CoderSshException;
import dev.coderssh.core.CoreServices;
import dev.coderssh.core.ExitCode;
import dev.coderssh.core.api.User;
import dev.coderssh.core.cli.Console;
import dev.coderssh.core.deployment.DeploymentUrl;
import dev.coderssh.core.http.HttpOptions;
import java.time.Duration;
import java.util.Map;

/**
 * {@code status --check}: asks the server who the token belongs to, so a revoked sign-in or a dead
 * deployment shows as such instead of "active". Bounded: status is what a person runs when
 * something already hangs.
 */
final class StatusCheck {
    static final Duration BOUND = Duration.ofSeconds(5);
    private final CoreServices core;

    StatusCheck(Console console, HttpOptions http, String version) {
        this.core = CoreServices.create(console, new HttpOptions(http.headers(), http.headerCommand(), http.caFile(),
                http.clientCertFile(), http.clientKeyFile(), BOUND, BOUND), version);
    }

    /**
     * Who the server says the token belongs to; a token it rejects gets one refresh (as every API
     * call does), and a refusal of that marks the sign-in ended in the store.
     *
     * @throws CoderSshException AUTH_REQUIRED when the server no longer accepts the sign-in, FAILURE
     *                           when it could not be asked within {@link #BOUND}
     */
    User check(DeploymentUrl url) {
        return core.api(url).me();
    }

    /** Adds checked_user or check_error (and state revoked) to {@code row}; returns the exit code it earns. */
    int ask(Map<String, Object> row, DeploymentUrl url) {
        if ("expired".equals(row.get("state"))) {
            return ExitCode.AUTH_REQUIRED.code();
        }
        try {
            User me = check(url);
            row.put("checked_user", me.username());
            if ("refresh_due".equals(row.get("state"))) {
                row.put("state", "active"); // the check refreshed it
            }
            return ExitCode.OK.code();
        } catch (CoderSshException e) {
            row.put("check_error", e.getMessage());
            if (e.exitCode() == ExitCode.AUTH_REQUIRED) {
                row.put("state", "revoked");
                return ExitCode.AUTH_REQUIRED.code();
            }
            return ExitCode.FAILURE.code();
        }
    }
}
