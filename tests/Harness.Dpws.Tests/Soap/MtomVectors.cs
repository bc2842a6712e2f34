using System.Text;

namespace Harness.Dpws.Tests.Soap;

/// <summary>MTOM/XOP packages from the specifications.</summary>
internal static class MtomVectors
{
    /// <summary>
    /// W3C XML-binary Optimized Packaging (XOP) 1.0, §1.2 Example 2 "A XOP package": a SOAP envelope with a picture
    /// and a signature as binary parts, referenced by <c>xop:Include href="cid:http://example.org/me.png"</c> (as the
    /// Recommendation prints it; the binary octets are the placeholders it shows). Line breaks are CRLF on the wire.
    /// </summary>
    public const string XopSpecContentType = "Multipart/Related;boundary=MIME_boundary;type=\"application/xop+xml\";start=\"<mymessage.xml@example.org>\";startinfo=\"application/soap+xml; action=\\\"ProcessData\\\"\"";

    public static byte[] XopSpecPackage => Encoding.ASCII.GetBytes("""
--MIME_boundary
Content-Type: application/xop+xml; 
    charset=UTF-8; 
    type="application/soap+xml; action=\"ProcessData\""
Content-Transfer-Encoding: 8bit
Content-ID: <mymessage.xml@example.org>

<soap:Envelope
    xmlns:soap='http://www.w3.org/2003/05/soap-envelope' 
    xmlns:xmlmime='http://www.w3.org/2004/11/xmlmime'>
  <soap:Body>
    <m:data xmlns:m='http://example.org/stuff'>
      <m:photo 
	    xmlmime:contentType='image/png'><xop:Include 
	    xmlns:xop='http://www.w3.org/2004/08/xop/include' 
	    href='cid:http://example.org/me.png'/></m:photo>
      <m:sig 
	    xmlmime:contentType='application/pkcs7-signature'><xop:Include 
	    xmlns:xop='http://www.w3.org/2004/08/xop/include' 
	    href='cid:http://example.org/my.hsh'/></m:sig>
    </m:data>
  </soap:Body>
</soap:Envelope>

--MIME_boundary
Content-Type: image/png
Content-Transfer-Encoding: binary
Content-ID: <http://example.org/me.png>

// binary octets for png

--MIME_boundary
Content-Type: application/pkcs7-signature
Content-Transfer-Encoding: binary
Content-ID: <http://example.org/my.hsh>

// binary octets for signature

--MIME_boundary--
""".Replace("\n", "\r\n", StringComparison.Ordinal));
}
