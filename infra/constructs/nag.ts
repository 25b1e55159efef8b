import { Token, type Stack } from 'aws-cdk-lib';

/**
 * How cdk-nag prints a stack's partition, region and account inside a finding id: the value when known at synth (the
 * stages pin account and region; the partition follows the region), else the pseudo parameter.
 */
export function nagPseudo(stack: Stack): { partition: string; region: string; account: string } {
  const known = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
  return { partition: known(stack.partition, 'Partition'), region: known(stack.region, 'Region'), account: known(stack.account, 'AccountId') };
}
