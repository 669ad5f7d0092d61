package dev.coderssh.it.real;

import dev.coderssh.it.fixture.RealCoderExtension;
import dev.coderssh.realcoder.Release;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RealCoderSuite} on the newest Coder release the Go proxy serves (2.36.1). */
class NewestRealCoderIT extends RealCoderSuite {
  @RegisterExtension
  static final RealCoderExtension CODER = RealCoderExtension.of(Release.NEWEST);

  @Override
  RealCoderExtension coder() {
    return CODER;
  }

  @Override
  boolean cancelCarriesState() {
    return true;
  }
}
