package dev.coderssh.it.real;

import dev.coderssh.it.fixture.RealCoderExtension;
import dev.coderssh.realcoder.Release;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RealCoderSuite} on the oldest Coder with RFC 8414 metadata and RFC 7591 registration (2.25.1). */
class OlderRealCoderIT extends RealCoderSuite {
  @RegisterExtension
  static final RealCoderExtension CODER = RealCoderExtension.of(Release.OLDER);

  @Override
  RealCoderExtension coder() {
    return CODER;
  }

  @Override
  boolean cancelCarriesState() {
    return false;
  }
}
