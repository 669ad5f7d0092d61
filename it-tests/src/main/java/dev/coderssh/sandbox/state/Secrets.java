package dev.coderssh.sandbox.state;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.nio.charset.StandardCharsets;

/** Random identifiers and secrets in the alphabets Coder uses, and constant-time comparison. */
public final class Secrets {
  private static final String ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private final SecureRandom random = new SecureRandom();

  public String alnum(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = ALNUM.charAt(random.nextInt(ALNUM.length()));
    }
    return new String(out);
  }

  /** Constant-time so the sandbox does not teach clients to rely on a timing side channel. */
  public static boolean same(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** RFC 7636 section 4.2: BASE64URL(SHA256(ASCII(code_verifier))) without padding. */
  public static String s256(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
