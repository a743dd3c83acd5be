using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Numerics;

namespace MetaStudio;

/// <summary>
/// What -RoomId binds: strings, and objects with a RoomId property (their RoomId). Anything else
/// piped in is refused, naming its type: PowerShell would otherwise make a hashtable the room id
/// "System.Collections.Hashtable". On the command line a whole number (the parser makes
/// <c>-RoomId 123</c> an Int32) and a Guid are room ids too.
/// </summary>
public sealed class RoomIdTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) =>
        // The binder wraps pipeline input in a PSObject; command-line arguments arrive as they are.
        Transform(inputData, piped: inputData is PSObject, depth: 0);

    /// <param name="depth">A list of objects with a RoomId, and that RoomId: two levels, no more (an object whose RoomId is itself ends here).</param>
    private static object? Transform(object? value, bool piped, int depth)
    {
        if (depth > 2)
        {
            throw new ArgumentTransformationMetadataException("-RoomId is nested too deeply (a RoomId that is not a string, or a list of lists): give room id strings, or objects whose RoomId is a string.");
        }

        object? bare = value is PSObject wrapped ? wrapped.BaseObject : value;
        switch (bare)
        {
            case null:
            case string:
            case Guid:
                return value; // null and empty are ValidateNotNullOrEmpty's to refuse
            case var number when IsWholeNumber(number) && !piped:
                return value; // digits typed on the command line
            case IList list when bare is not IDictionary:
                var items = new List<object?>(list.Count);
                foreach (object? item in list)
                {
                    items.Add(Transform(item, piped: false, depth + 1));
                }

                return items.ToArray();
        }

        // (A [pscustomobject]'s properties are on its PSObject, not on the base object.)
        if (bare is not IDictionary && (value as PSObject ?? PSObject.AsPSObject(bare)).Properties["RoomId"] is { } property)
        {
            return Transform(property.Value, piped: false, depth + 1); // a room or a job: its RoomId
        }

        throw new ArgumentTransformationMetadataException(
            $"A {bare.GetType().FullName} is not a room id: -RoomId takes strings, and objects with a RoomId property such as jobs." +
            (IsWholeNumber(bare) ? " Pipe a room id made of digits as a string ('123')." : string.Empty));
    }

    private static bool IsWholeNumber(object value) => value is sbyte or byte or short or ushort or int or uint or long or ulong or BigInteger;
}
