/**
 * What `package` refuses after `kedro package` (pure parts): an env the conf archive does not ship, and
 * a file system whose package the wheel's requirements do not reach.
 */
import { shippedEnvs } from '../../src/build/layout';
import { unshippedEnvMessage } from '../../src/modes/package';
import { parseRequirement, unmetFilesystemMessage, unmetFilesystemPackages } from '../../src/plan/filesystems';
import type { Filesystem } from '../../src/plan/schema';

describe('the envs a conf archive ships', () => {
  test('folders of conf/ with a file that goes in an image; never local, never credentials only', () => {
    const entries = [
      'conf/',
      'conf/base/',
      'conf/base/catalog.yml',
      'conf/aws/',
      'conf/aws/catalog.yml',
      'conf/local/',
      'conf/local/.gitkeep', // kedro package leaves out local/*.yml only: what is left is still not shipped
      'conf/secrets/credentials.yml',
      'conf/prod/nested/catalog_prod.yml',
      'conf/empty/',
      './conf/staging/parameters.yml',
      'conf/README.md',
    ];
    expect(shippedEnvs(entries)).toEqual(['aws', 'base', 'prod', 'staging']);
  });

  test('the refusal names the env and the envs that are shipped', () => {
    expect(unshippedEnvMessage('local', ['aws', 'base', 'prod'])).toMatch(
      /input "env" is "local".*"kedro package" leaves its files out.*MissingConfigException.*envs it ships: aws, prod/,
    );
    expect(unshippedEnvMessage('dev', ['base'], '/x/conf-p.tar.gz')).toMatch(
      /input "env" is "dev", but the conf archive conf-p\.tar\.gz has no files of conf\/dev.*ships no env besides base/,
    );
  });
});

describe('file systems the wheel must bring in', () => {
  const s3: Filesystem = {
    protocol: 's3',
    datasets: ['a', 'b'],
    packages: [{ name: 's3fs', provided_by: ['fsspec[s3]', 'kedro-datasets[s3fs-base]', 'cloud-helpers'] }],
    locations: [{ file: 'conf/aws/catalog.yml', line: 3, message: 'm' }],
  };

  test.each([
    [['kedro~=1.7', 's3fs>=2024.6'], []],
    [['kedro~=1.7', 'S3FS'], []],
    [['kedro-datasets[pandas-csvdataset,s3fs-base]>=9.6,<10'], []],
    [['Kedro_Datasets[S3FS_base]'], []],
    [['fsspec[s3]>=2024'], []],
    [['cloud-helpers; python_version >= "3.10"'], []],
    [['kedro~=1.7', 'kedro-datasets[pandas-csvdataset]>=9.6'], ['s3fs']],
    [['fsspec[http]'], ['s3fs']],
    [['s3fs-extra'], ['s3fs']],
  ])('requirements %j leave %j unmet', (requirements, unmet) => {
    expect(unmetFilesystemPackages([s3], requirements).map((u) => u.package)).toEqual(unmet);
  });

  test('a plan of an older version (no filesystems) checks nothing', () => {
    expect(unmetFilesystemPackages(undefined, [])).toEqual([]);
  });

  test('the refusal names the package to add, the protocol and the datasets', () => {
    const unmet = unmetFilesystemPackages([s3], ['kedro']);
    expect(unmet).toEqual([{ protocol: 's3', package: 's3fs', datasets: ['a', 'b'], locations: s3.locations }]);
    expect(unmetFilesystemMessage(unmet, 'aws', 'p-0.1-py3-none-any.whl')).toMatch(
      /env "aws".*p-0\.1-py3-none-any\.whl does not require.*"s3fs" for s3:\/\/ \(dataset\(s\) 'a', 'b'\)\. Add "s3fs" to the project's dependencies/,
    );
  });

  test('requirements are read as pip reads their names and extras', () => {
    expect(parseRequirement('Kedro_Datasets[Pandas.CSVDataset, s3fs-base] >=9 ; extra == "x"')).toEqual({
      name: 'kedro-datasets',
      extras: ['pandas-csvdataset', 's3fs-base'],
    });
    expect(parseRequirement('  ')).toBeUndefined();
  });
});
