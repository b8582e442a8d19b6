package dev.mizzen.pilot.security.authn;

/**
 * The key set istiod inlines when it has no keys for an issuer (not fetched yet, or the fetch failed), so
 * that every token of that issuer is rejected rather than accepted: Istio's {@code FakeJwks}
 * ({@code pilot/pkg/model/jwks_resolver.go}). The RSA modulus belongs to a key pair whose private half was
 * thrown away when this constant was made; it is a constant so the same input still gives the same bytes.
 */
public final class FakeJwks {
    public static final String KEY_ID = "mizzen-fake-jwks";
    public static final String JSON = "{\"keys\":[{\"e\":\"AQAB\",\"kid\":\"" + KEY_ID + "\",\"kty\":\"RSA\",\"n\":\""
            + "psRq995waDhTi1vy36yylOpjkGpQGq9jfX0gHB_qG_OZPKb1LgOMes8siTKcWJC5T9hiZWEVcl-Y5C3ZRRWTcYYRlcDhbKXT"
            + "7XkGDAmU4lOovpLb-xvZLKc7Xv4TSFTdTatJV307kAsG2XWlGi9sYB2L-yu-0X8NABySMq1f15JA-0F7hdTbF06Am64V4EvW"
            + "1GFLKMr5vOUxAjkfcHPYqQT9U6R0aMIHmewrlLxYiMPIw2N1nnszGWaiplBCHKXC8JOPdMCrVx_gl3IUtnyA9CeV9BHjOsVq"
            + "t4OC7cvRzOT7lX57yMWOHFBGASDQp5cIo0uffNnFzWt9zplqBT7RbQ" + "\"}]}";

    private FakeJwks() {
    }
}
