using System.Xml.Linq;
using Harness.Xmpp.Disco;

namespace Harness.Xmpp.Tests.Caps;

internal static class Vectors
{
    public static DiscoInfo Load(string name) =>
        DiscoCodec.ReadInfo(XElement.Load(Path.Combine(AppContext.BaseDirectory, "Caps", "Vectors", name))).Info!;

    public static DiscoInfo Info(IEnumerable<Identity> identities, IEnumerable<string> features, params DataForm[] forms) =>
        new([.. identities], [.. features], forms);

    public static DataForm Form(string? formType, string? formTypeType = "hidden", params DataFormField[] fields)
    {
        var all = new List<DataFormField>();
        if (formType is not null)
        {
            all.Add(new DataFormField("FORM_TYPE", formTypeType, [formType]));
        }

        all.AddRange(fields);
        return new DataForm("result", all);
    }
}
