package io.vpncloud.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The key pair agrees with the JDK's independent XDH implementation on raw 32-byte keys. */
class X25519KeyPairTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @RepeatedTest(10)
    void agreesWithTheJdkImplementation() throws GeneralSecurityException {
        X25519KeyPair ours = X25519KeyPair.generate(RANDOM);
        KeyPair jdk = KeyPairGenerator.getInstance("X25519").generateKeyPair();
        byte[] jdkPublic = littleEndian(((XECPublicKey) jdk.getPublic()).getU());

        KeyAgreement agreement = KeyAgreement.getInstance("XDH");
        agreement.init(jdk.getPrivate());
        agreement.doPhase(KeyFactory.getInstance("XDH").generatePublic(
                new XECPublicKeySpec(NamedParameterSpec.X25519, fromLittleEndian(ours.publicKey()))), true);
        byte[] jdkSecret = agreement.generateSecret();

        assertArrayEquals(jdkSecret, ours.agree(jdkPublic));
        byte[] topBitSet = jdkPublic.clone();
        topBitSet[31] |= (byte) 0x80;
        assertArrayEquals(jdkSecret, ours.agree(topBitSet), "RFC 7748: the top bit of u is ignored");
    }

    @Test
    void twoPairsAgree() throws InvalidKeyException {
        X25519KeyPair one = X25519KeyPair.generate(RANDOM);
        X25519KeyPair two = X25519KeyPair.generate(RANDOM);
        assertEquals(32, one.publicKey().length);
        assertArrayEquals(one.agree(two.publicKey()), two.agree(one.publicKey()));
    }

    @Test
    void rejectsLowOrderPointsAndWrongLengths() {
        X25519KeyPair pair = X25519KeyPair.generate(RANDOM);
        assertThrows(InvalidKeyException.class, () -> pair.agree(new byte[32]), "u = 0 gives an all-zero secret");
        byte[] one = new byte[32];
        one[0] = 1;
        assertThrows(InvalidKeyException.class, () -> pair.agree(one), "u = 1 has small order");
        assertThrows(InvalidKeyException.class, () -> pair.agree(new byte[31]));
    }

    private static byte[] littleEndian(BigInteger u) {
        byte[] bigEndian = u.toByteArray();
        byte[] raw = new byte[32];
        for (int i = 0; i < 32 && i < bigEndian.length; i++) {
            raw[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return raw;
    }

    private static BigInteger fromLittleEndian(byte[] raw) {
        byte[] bigEndian = new byte[32];
        for (int i = 0; i < 32; i++) {
            bigEndian[i] = raw[31 - i];
        }
        return new BigInteger(1, bigEndian);
    }
}
