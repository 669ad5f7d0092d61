package dev.coderssh.sandbox.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Minimal HTTP/1.1 for the stand-in CLI: one kept-alive plain socket, session token in a header.
 *
 * <p>Not HttpURLConnection on purpose: the stand-in starts once per ssh connection in place of a
 * native binary, and that stack's start-up (URL handler and proxy-selector lookups, loggers,
 * method handles spun at run time, a keep-alive timer thread) cost about a third of the CLI's
 * CPU time, which a storm of simultaneous connections pays on 2 cores. Plain {@code http://}
 * only: the sandbox serves nothing else.
 */
final class CliHttp implements AutoCloseable {
  private static final int MAX_BODY = 4 << 20;
  private final String host;
  private final int port;
  private final String basePath;
  private final String token;
  private final Map<String, String> headers;
  private Socket socket;
  private InputStream in;

  record Response(int status, String body) {
    Map<String, Object> json() {
      try {
        return MiniJson.obj(MiniJson.parse(body));
      } catch (IllegalArgumentException e) {
        return Map.of();
      }
    }
  }

  CliHttp(String base, String token, Map<String, String> headers) throws CoderCli.CliError {
    if (!base.startsWith("http://")) {
      throw new CoderCli.CliError("the stand-in CLI speaks plain http:// only (the sandbox's URL), not " + base);
    }
    String rest = base.substring("http://".length());
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash);
    this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    int colon = authority.lastIndexOf(':');
    try {
      this.port = colon < 0 ? 80 : Integer.parseInt(authority.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new CoderCli.CliError("invalid deployment URL " + base);
    }
    this.host = colon < 0 ? authority : authority.substring(0, colon);
    if (host.isEmpty()) {
      throw new CoderCli.CliError("invalid deployment URL " + base);
    }
    for (Map.Entry<String, String> h : headers.entrySet()) {
      if (unsafe(h.getKey()) || unsafe(h.getValue())) {
        throw new CoderCli.CliError("invalid header \"" + h.getKey() + "\": no line breaks allowed");
      }
    }
    if (unsafe(token)) {
      throw new CoderCli.CliError("CODER_SESSION_TOKEN must not contain line breaks");
    }
    this.token = token;
    this.headers = headers;
  }

  Response get(String path) throws IOException {
    return call("GET", path, null);
  }

  Response post(String path, String json) throws IOException {
    return call("POST", path, json);
  }

  Response put(String path, String json) throws IOException {
    return call("PUT", path, json);
  }

  private Response call(String method, String path, String json) throws IOException {
    byte[] request = request(method, path, json);
    if (socket != null) {
      try {
        return exchange(request);
      } catch (IOException e) {
        // The server may close an idle kept-alive connection at any time: retry once on a new one,
        // as HTTP clients do for requests that are safe to repeat (ours are, builds answer 409).
        close();
      }
    }
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), 10_000);
    socket.setSoTimeout(30_000);
    in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    return exchange(request);
  }

  private byte[] request(String method, String path, String json) {
    StringBuilder b = new StringBuilder(256);
    b.append(method).append(' ').append(basePath).append(path).append(" HTTP/1.1\r\n");
    b.append("Host: ").append(host).append(':').append(port).append("\r\n");
    for (Map.Entry<String, String> h : headers.entrySet()) {
      b.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    b.append("Coder-Session-Token: ").append(token).append("\r\n");
    b.append("Accept: application/json\r\n");
    byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    if (json != null) {
      b.append("Content-Type: application/json\r\n");
      b.append("Content-Length: ").append(body.length).append("\r\n");
    }
    b.append("\r\n");
    byte[] head = b.toString().getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  /** One write per request (headers and body together), then the whole response. */
  private Response exchange(byte[] request) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(request);
    out.flush();
    String statusLine = line();
    if (statusLine == null) {
      throw new IOException("the server closed the connection");
    }
    int sp = statusLine.indexOf(' ');
    if (!statusLine.startsWith("HTTP/1.") || sp < 0 || statusLine.length() < sp + 4) {
      throw new IOException("malformed HTTP status line");
    }
    int status;
    try {
      status = Integer.parseInt(statusLine.substring(sp + 1, sp + 4));
    } catch (NumberFormatException e) {
      throw new IOException("malformed HTTP status line");
    }
    long length = -1;
    boolean chunked = false;
    boolean closeAfter = statusLine.startsWith("HTTP/1.0");
    String h;
    while ((h = line()) != null && !h.isEmpty()) {
      int colon = h.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = h.substring(0, colon).trim();
      String value = h.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        try {
          length = Long.parseLong(value);
        } catch (NumberFormatException e) {
          throw new IOException("malformed Content-Length");
        }
      } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
        chunked = value.equalsIgnoreCase("chunked");
      } else if (name.equalsIgnoreCase("Connection")) {
        closeAfter = value.equalsIgnoreCase("close");
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    boolean noBody = status == 204 || status == 304 || status / 100 == 1;
    if (noBody) {
      length = 0;
    } else if (chunked) {
      readChunked(body);
    } else if (length >= 0) {
      copy(length, body);
    } else {
      copy(Long.MAX_VALUE, body);
      closeAfter = true;
    }
    if (closeAfter) {
      close();
    }
    return new Response(status, body.toString(StandardCharsets.UTF_8));
  }

  private void readChunked(ByteArrayOutputStream body) throws IOException {
    while (true) {
      String size = line();
      if (size == null) {
        throw new IOException("truncated chunked body");
      }
      int semi = size.indexOf(';');
      long n;
      try {
        n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
      } catch (NumberFormatException e) {
        throw new IOException("malformed chunk size");
      }
      if (n == 0) {
        String trailer;
        while ((trailer = line()) != null && !trailer.isEmpty()) {
          // trailers carry nothing the CLI needs
        }
        return;
      }
      copy(n, body);
      line();
    }
  }

  /** Copies {@code n} bytes (until EOF when n is Long.MAX_VALUE) into {@code body}. */
  private void copy(long n, ByteArrayOutputStream body) throws IOException {
    byte[] buf = new byte[8192];
    long left = n;
    while (left > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (r < 0) {
        if (n == Long.MAX_VALUE) {
          return;
        }
        throw new IOException("truncated HTTP body");
      }
      if (body.size() + r > MAX_BODY) {
        throw new IOException("HTTP body too large");
      }
      body.write(buf, 0, r);
      left -= r;
    }
  }

  /** A CRLF- (or LF-) terminated line in ISO-8859-1, null at EOF before any byte. */
  private String line() throws IOException {
    StringBuilder b = new StringBuilder(64);
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        int end = b.length();
        if (end > 0 && b.charAt(end - 1) == '\r') {
          b.setLength(end - 1);
        }
        return b.toString();
      }
      if (b.length() > 16 * 1024) {
        throw new IOException("HTTP header line too long");
      }
      b.append((char) c);
    }
    return b.length() == 0 ? null : b.toString();
  }

  private static boolean unsafe(String s) {
    return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // nothing was pending on it
      }
      socket = null;
      in = null;
    }
  }
}
