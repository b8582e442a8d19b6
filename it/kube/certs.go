package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// pki is everything the cluster's components need to trust and authenticate each other. The CA and the
// service-account signing key are generated on the first start and kept in the data directory, so a
// restart on the same data (--data-dir) keeps every client's trust and every token issued before it valid,
// as a real control plane's restart does; the serving and client certificates are issued anew each start.
type pki struct {
	dir    string
	caCert *x509.Certificate
	caKey  crypto.Signer

	CAFile          string // the cluster CA: signs the serving certificate and every client certificate
	ServingCertFile string // the apiserver's serving certificate, for 127.0.0.1, localhost and the kubernetes Service
	ServingKeyFile  string
	SAKeyFile       string // the service-account token signing key (private): apiserver signs, controller-manager's token controller too
	SAPublicKeyFile string // its public half, which the apiserver verifies tokens with
}

func newPKI(dir string, serviceIP net.IP) (*pki, error) {
	p := &pki{dir: dir}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	p.CAFile = filepath.Join(dir, "ca.crt")
	caKey, caCert, err := loadCA(p.CAFile, filepath.Join(dir, "ca.key"))
	if err != nil {
		return nil, err
	}
	p.caCert = caCert
	if caKey == nil {
		if caKey, err = newKey(); err != nil {
			return nil, err
		}
		ca := &x509.Certificate{
			Subject:               pkix.Name{CommonName: "mizzen-kube-ca"},
			IsCA:                  true,
			KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
			BasicConstraintsValid: true,
		}
		caDER, err := sign(ca, caKey.Public(), ca, caKey)
		if err != nil {
			return nil, err
		}
		if p.caCert, err = x509.ParseCertificate(caDER); err != nil {
			return nil, err
		}
		// the key first: a CA certificate on disk always has its key beside it
		if err := writeKey(filepath.Join(dir, "ca.key"), caKey); err != nil {
			return nil, err
		}
		if err := writePEM(p.CAFile, "CERTIFICATE", caDER, 0o644); err != nil {
			return nil, err
		}
	}
	p.caKey = caKey

	// The names a client inside or outside the cluster may use for the apiserver.
	serving := &x509.Certificate{
		Subject:     pkix.Name{CommonName: "kube-apiserver"},
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames: []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
			"kubernetes.default.svc.cluster.local"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback, serviceIP},
	}
	if p.ServingCertFile, p.ServingKeyFile, err = p.issue("apiserver", serving); err != nil {
		return nil, err
	}

	p.SAKeyFile = filepath.Join(dir, "sa.key")
	saKey, err := readKey(p.SAKeyFile)
	if err != nil {
		return nil, err
	}
	if saKey == nil {
		if saKey, err = newKey(); err != nil {
			return nil, err
		}
		if err := writeKey(p.SAKeyFile, saKey); err != nil {
			return nil, err
		}
	}
	pub, err := x509.MarshalPKIXPublicKey(saKey.Public())
	if err != nil {
		return nil, err
	}
	p.SAPublicKeyFile = filepath.Join(dir, "sa.pub")
	if err := writePEM(p.SAPublicKeyFile, "PUBLIC KEY", pub, 0o644); err != nil {
		return nil, err
	}
	return p, nil
}

// clientCert issues a client certificate: the apiserver takes the common name as the user name and the
// organisations as the groups (so O=system:masters is a cluster admin).
func (p *pki) clientCert(name, user string, groups ...string) (certFile, keyFile string, err error) {
	return p.issue(name, &x509.Certificate{
		Subject:     pkix.Name{CommonName: user, Organization: groups},
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
}

// kubeconfig writes a kubeconfig for the given client certificate; the files are embedded, so the result
// stands alone and can be copied elsewhere.
func (p *pki) kubeconfig(path, server, certFile, keyFile string) error {
	ca, err := os.ReadFile(p.CAFile)
	if err != nil {
		return err
	}
	crt, err := os.ReadFile(certFile)
	if err != nil {
		return err
	}
	key, err := os.ReadFile(keyFile)
	if err != nil {
		return err
	}
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["mizzen"] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: ca}
	cfg.AuthInfos["mizzen"] = &clientcmdapi.AuthInfo{ClientCertificateData: crt, ClientKeyData: key}
	cfg.Contexts["mizzen"] = &clientcmdapi.Context{Cluster: "mizzen", AuthInfo: "mizzen", Namespace: "default"}
	cfg.CurrentContext = "mizzen"
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	// Write to a temporary name and rename, so a reader polling for the file never sees half of it.
	tmp := path + ".tmp"
	if err := clientcmd.WriteToFile(*cfg, tmp); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func (p *pki) issue(name string, tmpl *x509.Certificate) (certFile, keyFile string, err error) {
	key, err := newKey()
	if err != nil {
		return "", "", err
	}
	der, err := sign(tmpl, key.Public(), p.caCert, p.caKey)
	if err != nil {
		return "", "", err
	}
	certFile, keyFile = filepath.Join(p.dir, name+".crt"), filepath.Join(p.dir, name+".key")
	if err := writePEM(certFile, "CERTIFICATE", der, 0o644); err != nil {
		return "", "", err
	}
	return certFile, keyFile, writeKey(keyFile, key)
}

func sign(tmpl *x509.Certificate, pub crypto.PublicKey, parent *x509.Certificate, parentKey crypto.Signer) ([]byte, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, err
	}
	tmpl.SerialNumber = serial
	// Back-dated a little so a clock that differs by a few seconds between components does no harm.
	tmpl.NotBefore = time.Now().Add(-time.Hour)
	tmpl.NotAfter = time.Now().Add(10 * 365 * 24 * time.Hour)
	return x509.CreateCertificate(rand.Reader, tmpl, parent, pub, parentKey)
}

// ECDSA P-256 everywhere: generated in microseconds, where RSA keys would cost a noticeable part of start-up.
func newKey() (*ecdsa.PrivateKey, error) { return ecdsa.GenerateKey(elliptic.P256(), rand.Reader) }

func writeKey(path string, key *ecdsa.PrivateKey) error {
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	return writePEM(path, "EC PRIVATE KEY", der, 0o600)
}

func writePEM(path, typ string, der []byte, mode os.FileMode) error {
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), mode); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// loadCA reads the CA a previous start on the same data directory made; nil, nil, nil if there is none.
func loadCA(certFile, keyFile string) (*ecdsa.PrivateKey, *x509.Certificate, error) {
	key, err := readKey(keyFile)
	if err != nil || key == nil {
		return nil, nil, err
	}
	data, err := os.ReadFile(certFile)
	if err != nil {
		return nil, nil, fmt.Errorf("%s is there but %w", keyFile, err)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, nil, fmt.Errorf("%s: no PEM certificate", certFile)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", certFile, err)
	}
	return key, cert, nil
}

// readKey reads a key writeKey wrote; nil, nil if the file does not exist.
func readKey(path string) (*ecdsa.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "EC PRIVATE KEY" {
		return nil, fmt.Errorf("%s: no PEM EC private key", path)
	}
	key, err := x509.ParseECPrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return key, nil
}
