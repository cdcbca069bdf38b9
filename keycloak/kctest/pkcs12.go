package kctest

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"hash"
	"unicode/utf16"
)

// A PKCS#12 keystore (RFC 7292), as Keycloak's client certificate
// endpoints read and write them: the standard library has no PKCS#12
// codec, so kctest has this small one. It writes what Java's and
// OpenSSL's readers take: a shrouded key bag (pbeWithSHAAnd3-KeyTripleDES-CBC)
// and certificate bags in plain data, an HMAC-SHA-1 MAC. It reads those,
// and the PBES2 (PBKDF2, AES-CBC) bags and SHA-256 MAC of OpenSSL 3.

var (
	oidData             = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidEncryptedData    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 6}
	oidShroudedKeyBag   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 2}
	oidKeyBag           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 1}
	oidCertBag          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 3}
	oidX509Cert         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 22, 1}
	oidFriendlyName     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 20}
	oidLocalKeyID       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 21}
	oidJavaTrusted      = asn1.ObjectIdentifier{2, 16, 840, 1, 113894, 746875, 1, 1}
	oidAnyExtKeyUsage   = asn1.ObjectIdentifier{2, 5, 29, 37, 0}
	oidPBE3DES          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 3}
	oidPBES2            = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidHMACSHA1         = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACSHA256       = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidAES128CBC        = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}
	oidAES256CBC        = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
	oidSHA1             = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	oidSHA256           = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	errP12Password      = errors.New("pkcs12: wrong password or corrupt keystore")
	errP12Unsupported   = errors.New("pkcs12: unsupported algorithm")
	p12Iterations       = 2048
	p12DefaultMacDigest = oidSHA1
)

type p12PFX struct {
	Version  int
	AuthSafe p12ContentInfo
	MacData  p12MacData `asn1:"optional"`
}

type p12ContentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"tag:0,explicit,optional"`
}

type p12MacData struct {
	Mac        p12DigestInfo
	MacSalt    []byte
	Iterations int `asn1:"optional,default:1"`
}

type p12DigestInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	Digest    []byte
}

type p12EncryptedData struct {
	Version int
	Info    p12EncryptedContentInfo
}

type p12EncryptedContentInfo struct {
	ContentType asn1.ObjectIdentifier
	Algorithm   pkix.AlgorithmIdentifier
	Content     []byte `asn1:"tag:0,optional"`
}

type p12SafeBag struct {
	ID         asn1.ObjectIdentifier
	Value      asn1.RawValue     `asn1:"tag:0,explicit"`
	Attributes []p12BagAttribute `asn1:"set,optional"`
}

type p12BagAttribute struct {
	ID    asn1.ObjectIdentifier
	Value asn1.RawValue `asn1:"set"`
}

type p12CertBag struct {
	ID   asn1.ObjectIdentifier
	Data []byte `asn1:"tag:0,explicit"`
}

type p12EncryptedKey struct {
	Algorithm pkix.AlgorithmIdentifier
	Data      []byte
}

type p12PBEParams struct {
	Salt       []byte
	Iterations int
}

type p12PBES2Params struct {
	KDF    pkix.AlgorithmIdentifier
	Scheme pkix.AlgorithmIdentifier
}

type p12PBKDF2Params struct {
	Salt       []byte
	Iterations int
	KeyLength  int                      `asn1:"optional"`
	PRF        pkix.AlgorithmIdentifier `asn1:"optional"`
}

// p12Entry is one entry of a keystore: a private key with its
// certificate, or a trusted certificate.
type p12Entry struct {
	alias string
	key   any // PKCS#8-encodable private key; nil for a trusted certificate
	cert  *x509.Certificate
}

// bmpPassword is the password as PKCS#12's KDF takes it: UTF-16BE with a
// terminating zero.
func bmpPassword(pw string) []byte {
	u := utf16.Encode([]rune(pw))
	out := make([]byte, 0, 2*len(u)+2)
	for _, c := range u {
		out = append(out, byte(c>>8), byte(c))
	}
	return append(out, 0, 0)
}

// p12KDF is the key derivation of RFC 7292 appendix B.2: id 1 for a key,
// 2 for an IV, 3 for a MAC key.
func p12KDF(newHash func() hash.Hash, v int, password, salt []byte, id byte, iterations, size int) []byte {
	fill := func(b []byte) []byte {
		if len(b) == 0 {
			return nil
		}
		n := v * ((len(b) + v - 1) / v)
		out := make([]byte, n)
		for i := range out {
			out[i] = b[i%len(b)]
		}
		return out
	}
	d := bytes.Repeat([]byte{id}, v)
	in := append(fill(salt), fill(password)...)
	var out []byte
	for len(out) < size {
		h := newHash()
		h.Write(d)
		h.Write(in)
		a := h.Sum(nil)
		for j := 1; j < iterations; j++ {
			h.Reset()
			h.Write(a)
			a = h.Sum(a[:0])
		}
		out = append(out, a...)
		if len(out) >= size {
			break
		}
		b := fill(a)[:v]
		for j := 0; j < len(in); j += v {
			// I_j = (I_j + B + 1) mod 2^(8v)
			carry := 1
			for k := v - 1; k >= 0; k-- {
				s := int(in[j+k]) + int(b[k]) + carry
				in[j+k] = byte(s)
				carry = s >> 8
			}
		}
	}
	return out[:size]
}

func pkcs7Pad(b []byte, size int) []byte {
	n := size - len(b)%size
	return append(bytes.Clone(b), bytes.Repeat([]byte{byte(n)}, n)...)
}

func pkcs7Unpad(b []byte, size int) ([]byte, error) {
	if len(b) == 0 || len(b)%size != 0 {
		return nil, errP12Password
	}
	n := int(b[len(b)-1])
	if n == 0 || n > size || n > len(b) {
		return nil, errP12Password
	}
	for _, c := range b[len(b)-n:] {
		if int(c) != n {
			return nil, errP12Password
		}
	}
	return b[:len(b)-n], nil
}

// p12Encrypt3DES encrypts with pbeWithSHAAnd3-KeyTripleDES-CBC.
func p12Encrypt3DES(password string, plain []byte) (pkix.AlgorithmIdentifier, []byte, error) {
	salt := make([]byte, 8)
	if _, err := rand.Read(salt); err != nil {
		return pkix.AlgorithmIdentifier{}, nil, err
	}
	params, err := asn1.Marshal(p12PBEParams{Salt: salt, Iterations: p12Iterations})
	if err != nil {
		return pkix.AlgorithmIdentifier{}, nil, err
	}
	pw := bmpPassword(password)
	key := p12KDF(sha1.New, 64, pw, salt, 1, p12Iterations, 24)
	iv := p12KDF(sha1.New, 64, pw, salt, 2, p12Iterations, 8)
	block, err := des.NewTripleDESCipher(key)
	if err != nil {
		return pkix.AlgorithmIdentifier{}, nil, err
	}
	out := pkcs7Pad(plain, block.BlockSize())
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(out, out)
	return pkix.AlgorithmIdentifier{Algorithm: oidPBE3DES, Parameters: asn1.RawValue{FullBytes: params}}, out, nil
}

// p12Decrypt decrypts data encrypted with pbeWithSHAAnd3-KeyTripleDES-CBC
// or PBES2 (PBKDF2 with HMAC-SHA-1 or -SHA-256, AES-128 or -256 CBC).
func p12Decrypt(alg pkix.AlgorithmIdentifier, password string, data []byte) ([]byte, error) {
	var block cipher.Block
	var iv []byte
	switch {
	case alg.Algorithm.Equal(oidPBE3DES):
		var p p12PBEParams
		if _, err := asn1.Unmarshal(alg.Parameters.FullBytes, &p); err != nil {
			return nil, err
		}
		pw := bmpPassword(password)
		key := p12KDF(sha1.New, 64, pw, p.Salt, 1, p.Iterations, 24)
		iv = p12KDF(sha1.New, 64, pw, p.Salt, 2, p.Iterations, 8)
		var err error
		if block, err = des.NewTripleDESCipher(key); err != nil {
			return nil, err
		}
	case alg.Algorithm.Equal(oidPBES2):
		var p p12PBES2Params
		if _, err := asn1.Unmarshal(alg.Parameters.FullBytes, &p); err != nil {
			return nil, err
		}
		var kp p12PBKDF2Params
		if !p.KDF.Algorithm.Equal(oidPBKDF2) {
			return nil, errP12Unsupported
		}
		if _, err := asn1.Unmarshal(p.KDF.Parameters.FullBytes, &kp); err != nil {
			return nil, err
		}
		prf := sha1.New
		if kp.PRF.Algorithm.Equal(oidHMACSHA256) {
			prf = sha256.New
		} else if len(kp.PRF.Algorithm) > 0 && !kp.PRF.Algorithm.Equal(oidHMACSHA1) {
			return nil, errP12Unsupported
		}
		size := 32
		if p.Scheme.Algorithm.Equal(oidAES128CBC) {
			size = 16
		} else if !p.Scheme.Algorithm.Equal(oidAES256CBC) {
			return nil, errP12Unsupported
		}
		if _, err := asn1.Unmarshal(p.Scheme.Parameters.FullBytes, &iv); err != nil {
			return nil, err
		}
		key, err := pbkdf2.Key(prf, password, kp.Salt, kp.Iterations, size)
		if err != nil {
			return nil, err
		}
		if block, err = aes.NewCipher(key); err != nil {
			return nil, err
		}
	default:
		return nil, errP12Unsupported
	}
	if len(iv) != block.BlockSize() || len(data)%block.BlockSize() != 0 || len(data) == 0 {
		return nil, errP12Password
	}
	out := bytes.Clone(data)
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, out)
	return pkcs7Unpad(out, block.BlockSize())
}

func p12Mac(digest asn1.ObjectIdentifier, password string, salt []byte, iterations int, content []byte) ([]byte, error) {
	newHash := sha1.New
	size := sha1.Size
	if digest.Equal(oidSHA256) {
		newHash, size = sha256.New, sha256.Size
	} else if !digest.Equal(oidSHA1) {
		return nil, errP12Unsupported
	}
	key := p12KDF(newHash, 64, bmpPassword(password), salt, 3, iterations, size)
	m := hmac.New(newHash, key)
	m.Write(content)
	return m.Sum(nil), nil
}

func bmpString(s string) []byte {
	u := utf16.Encode([]rune(s))
	out := make([]byte, 0, 2*len(u))
	for _, c := range u {
		out = append(out, byte(c>>8), byte(c))
	}
	return out
}

func p12Attr(id asn1.ObjectIdentifier, value any, tag int) (p12BagAttribute, error) {
	var b []byte
	var err error
	if tag >= 0 {
		b, err = asn1.Marshal(asn1.RawValue{Tag: tag, Class: asn1.ClassUniversal, Bytes: value.([]byte)})
	} else {
		b, err = asn1.Marshal(value)
	}
	if err != nil {
		return p12BagAttribute{}, err
	}
	return p12BagAttribute{ID: id, Value: asn1.RawValue{Tag: asn1.TagSet, Class: asn1.ClassUniversal, IsCompound: true, Bytes: b}}, nil
}

// encodePKCS12 writes entries into a keystore protected by storePassword;
// keys are encrypted with keyPassword.
func encodePKCS12(entries []p12Entry, storePassword, keyPassword string) ([]byte, error) {
	var keyBags, certBags []p12SafeBag
	for i, e := range entries {
		name, err := p12Attr(oidFriendlyName, bmpString(e.alias), asn1.TagBMPString)
		if err != nil {
			return nil, err
		}
		certBag, err := asn1.Marshal(p12CertBag{ID: oidX509Cert, Data: e.cert.Raw})
		if err != nil {
			return nil, err
		}
		if e.key == nil {
			trusted, err := p12Attr(oidJavaTrusted, oidAnyExtKeyUsage, -1)
			if err != nil {
				return nil, err
			}
			certBags = append(certBags, p12SafeBag{ID: oidCertBag, Value: asn1.RawValue{FullBytes: wrapExplicit0(certBag)}, Attributes: []p12BagAttribute{name, trusted}})
			continue
		}
		localID, err := p12Attr(oidLocalKeyID, []byte{byte(i + 1)}, asn1.TagOctetString)
		if err != nil {
			return nil, err
		}
		der, err := x509.MarshalPKCS8PrivateKey(e.key)
		if err != nil {
			return nil, err
		}
		alg, enc, err := p12Encrypt3DES(keyPassword, der)
		if err != nil {
			return nil, err
		}
		keyBag, err := asn1.Marshal(p12EncryptedKey{Algorithm: alg, Data: enc})
		if err != nil {
			return nil, err
		}
		keyBags = append(keyBags, p12SafeBag{ID: oidShroudedKeyBag, Value: asn1.RawValue{FullBytes: wrapExplicit0(keyBag)}, Attributes: []p12BagAttribute{name, localID}})
		certBags = append(certBags, p12SafeBag{ID: oidCertBag, Value: asn1.RawValue{FullBytes: wrapExplicit0(certBag)}, Attributes: []p12BagAttribute{name, localID}})
	}
	// Certificates and keys go in two contents, as Java and OpenSSL write
	// them (and as some readers insist).
	var infos []p12ContentInfo
	for _, bags := range [][]p12SafeBag{certBags, keyBags} {
		if bags == nil {
			bags = []p12SafeBag{}
		}
		safe, err := asn1.Marshal(bags)
		if err != nil {
			return nil, err
		}
		info, err := dataContentInfo(safe)
		if err != nil {
			return nil, err
		}
		infos = append(infos, info)
	}
	authSafe, err := asn1.Marshal(infos)
	if err != nil {
		return nil, err
	}
	outer, err := dataContentInfo(authSafe)
	if err != nil {
		return nil, err
	}
	salt := make([]byte, 20)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	mac, err := p12Mac(p12DefaultMacDigest, storePassword, salt, p12Iterations, authSafe)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(p12PFX{Version: 3, AuthSafe: outer, MacData: p12MacData{
		Mac:     p12DigestInfo{Algorithm: pkix.AlgorithmIdentifier{Algorithm: p12DefaultMacDigest, Parameters: asn1.NullRawValue}, Digest: mac},
		MacSalt: salt, Iterations: p12Iterations,
	}})
}

func wrapExplicit0(b []byte) []byte {
	out, _ := asn1.Marshal(asn1.RawValue{Tag: 0, Class: asn1.ClassContextSpecific, IsCompound: true, Bytes: b})
	return out
}

func dataContentInfo(content []byte) (p12ContentInfo, error) {
	octets, err := asn1.Marshal(content)
	if err != nil {
		return p12ContentInfo{}, err
	}
	return p12ContentInfo{ContentType: oidData, Content: asn1.RawValue{Tag: 0, Class: asn1.ClassContextSpecific, IsCompound: true, Bytes: octets}}, nil
}

// decodePKCS12 reads the entries of a keystore: the MAC is checked with
// storePassword, keys are decrypted with keyPassword (or storePassword
// when keyPassword is empty). A key and a certificate belong together
// when they share a localKeyId or, failing that, a friendlyName.
func decodePKCS12(b []byte, storePassword, keyPassword string) ([]p12Entry, error) {
	var pfx p12PFX
	if rest, err := asn1.Unmarshal(b, &pfx); err != nil || len(rest) != 0 || pfx.Version != 3 {
		return nil, errors.New("pkcs12: not a PKCS#12 keystore")
	}
	if !pfx.AuthSafe.ContentType.Equal(oidData) {
		return nil, errP12Unsupported
	}
	var authSafe []byte
	if _, err := asn1.Unmarshal(pfx.AuthSafe.Content.Bytes, &authSafe); err != nil {
		return nil, err
	}
	if len(pfx.MacData.Mac.Digest) > 0 {
		mac, err := p12Mac(pfx.MacData.Mac.Algorithm.Algorithm, storePassword, pfx.MacData.MacSalt, pfx.MacData.Iterations, authSafe)
		if err != nil {
			return nil, err
		}
		if !hmac.Equal(mac, pfx.MacData.Mac.Digest) {
			return nil, errP12Password
		}
	}
	if keyPassword == "" {
		keyPassword = storePassword
	}
	var infos []p12ContentInfo
	if _, err := asn1.Unmarshal(authSafe, &infos); err != nil {
		return nil, err
	}
	var bags []p12SafeBag
	for _, ci := range infos {
		var safe []byte
		switch {
		case ci.ContentType.Equal(oidData):
			if _, err := asn1.Unmarshal(ci.Content.Bytes, &safe); err != nil {
				return nil, err
			}
		case ci.ContentType.Equal(oidEncryptedData):
			var ed p12EncryptedData
			if _, err := asn1.Unmarshal(ci.Content.Bytes, &ed); err != nil {
				return nil, err
			}
			var err error
			if safe, err = p12Decrypt(ed.Info.Algorithm, storePassword, ed.Info.Content); err != nil {
				return nil, err
			}
		default:
			return nil, errP12Unsupported
		}
		var more []p12SafeBag
		if _, err := asn1.Unmarshal(safe, &more); err != nil {
			return nil, err
		}
		bags = append(bags, more...)
	}
	type item struct {
		name, id string
		key      any
		cert     *x509.Certificate
	}
	var keys, certs []item
	for _, bag := range bags {
		var it item
		for _, a := range bag.Attributes {
			switch {
			case a.ID.Equal(oidFriendlyName):
				var v asn1.RawValue
				if _, err := asn1.Unmarshal(a.Value.Bytes, &v); err == nil {
					u := make([]uint16, len(v.Bytes)/2)
					for i := range u {
						u[i] = uint16(v.Bytes[2*i])<<8 | uint16(v.Bytes[2*i+1])
					}
					it.name = string(utf16.Decode(u))
				}
			case a.ID.Equal(oidLocalKeyID):
				var v []byte
				if _, err := asn1.Unmarshal(a.Value.Bytes, &v); err == nil {
					it.id = string(v)
				}
			}
		}
		switch {
		case bag.ID.Equal(oidCertBag):
			var cb p12CertBag
			if _, err := asn1.Unmarshal(bag.Value.Bytes, &cb); err != nil {
				return nil, err
			}
			cert, err := x509.ParseCertificate(cb.Data)
			if err != nil {
				return nil, err
			}
			it.cert = cert
			certs = append(certs, it)
		case bag.ID.Equal(oidShroudedKeyBag), bag.ID.Equal(oidKeyBag):
			der := bag.Value.Bytes
			if bag.ID.Equal(oidShroudedKeyBag) {
				var ek p12EncryptedKey
				if _, err := asn1.Unmarshal(bag.Value.Bytes, &ek); err != nil {
					return nil, err
				}
				var err error
				if der, err = p12Decrypt(ek.Algorithm, keyPassword, ek.Data); err != nil {
					return nil, err
				}
			}
			key, err := x509.ParsePKCS8PrivateKey(der)
			if err != nil {
				return nil, errP12Password
			}
			it.key = key
			keys = append(keys, it)
		}
	}
	var out []p12Entry
	used := make([]bool, len(certs))
	for _, k := range keys {
		e := p12Entry{alias: k.name, key: k.key}
		for i, c := range certs {
			if !used[i] && ((k.id != "" && c.id == k.id) || (k.id == "" && c.name == k.name)) {
				e.cert, used[i] = c.cert, true
				if e.alias == "" {
					e.alias = c.name
				}
				break
			}
		}
		out = append(out, e)
	}
	for i, c := range certs {
		if !used[i] {
			out = append(out, p12Entry{alias: c.name, cert: c.cert})
		}
	}
	return out, nil
}
