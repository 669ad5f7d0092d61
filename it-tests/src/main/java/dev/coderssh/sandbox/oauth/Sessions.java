package dev.coderssh.sandbox.oauth;

import com.sun.net.httpserver.HttpExchange;
import dev.coderssh.sandbox.http.Http;
import dev.coderssh.sandbox.state.Secrets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Browser sign-in sessions (the dashboard's cookie), each with its own CSRF token. */
public final class Sessions {
  static final String COOKIE = "coder_sandbox_session";
  private final Secrets secrets;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  record Session(String userId, String csrf) {
    @Override
    public String toString() {
      return "Session[" + userId + "]";
    }
  }

  public Sessions(Secrets secrets) {
    this.secrets = secrets;
  }

  String create(String userId) {
    String id = secrets.alnum(32);
    sessions.put(id, new Session(userId, secrets.alnum(32)));
    return id;
  }

  Session of(HttpExchange ex) {
    String id = Http.cookie(ex, COOKIE);
    return id == null ? null : sessions.get(id);
  }
}
