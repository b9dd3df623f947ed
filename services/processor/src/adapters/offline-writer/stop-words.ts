/** English function words and filler common in spoken lectures; never concepts. */
export const STOP_WORDS = new Set(
  `a about above actually after again against all almost also although always am among an and another any anyone anything are
  around as at basically be because been before being below between both but by can cannot could did do does doing done don
  down during each either else enough even ever every everything few first for from further get gets getting go goes going gonna
  got gotta had has have having he her here hers herself him himself his how however i if in into is isn it its itself just kind
  know let like likely ll look lot lots made make makes many maybe me might mine more most much must my myself need new next no
  nor not now of off often ok okay on once one only or other others our ours ourselves out over own pretty quite rather re really
  right said same say saying says see seem seems she should so some something sort still such sure take than that thats the their
  theirs them themselves then there these they thing things think this those though through thus to today too two uh um under
  until up upon us use used using ve very video videos want wanna was way we well were what whatever when where whether which
  while who whom whose why will with within without would yeah yes yet you your yours yourself yourselves going okay alright
  gonna kinda actually literally obviously let's here's there's that's it's what's i'm you're we're they're don't can't won't
  doesn't didn't isn't aren't wasn't weren't hasn't haven't i've you've we've they've i'll you'll we'll they'll i'd you'd`
    .split(/\s+/)
    .filter(Boolean),
);
